import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsWebhookSecretSealer } from '../../../../../shared/adapters/aws/kms-webhook-secret-sealer.ts';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());
const context = { tenantId: 't-one', webhookId: 'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ' };

describe('KmsWebhookSecretSealer', () => {
  it('encrypts and decrypts with the webhook key, the tenant and webhook ids as encryption context', async () => {
    kms.on(EncryptCommand).resolves({ CiphertextBlob: Buffer.from('ciphertext') });
    kms.on(DecryptCommand).resolves({ Plaintext: Buffer.from('whsec_secret') });
    const sealer = new KmsWebhookSecretSealer(
      new KMSClient({ region: 'us-east-1' }),
      'arn:aws:kms:key/webhooks',
    );

    const sealed = await sealer.seal('whsec_secret', context);
    const opened = await sealer.open(sealed, context);

    expect(sealed).toBe(Buffer.from('ciphertext').toString('base64'));
    expect(opened).toBe('whsec_secret');
    expect(kms.commandCalls(EncryptCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'arn:aws:kms:key/webhooks',
      EncryptionContext: context,
    });
    expect(kms.commandCalls(DecryptCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'arn:aws:kms:key/webhooks',
      EncryptionContext: context,
    });
  });
});

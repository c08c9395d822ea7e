import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { KmsAuditDigestVerifier } from '../../../../../shared/adapters/aws/kms-audit-digest-verifier.ts';
import { signingKey } from '../../../../support/audit-chain.ts';

const ARN = 'arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-aaaa-bbbb-cccc-123456789012';

describe('KmsAuditDigestVerifier', () => {
  it('answers the trusted key (by the id given or its ARN) once fetched, and no other key', async () => {
    const key = signingKey();
    const kms = mockClient(KMSClient);
    kms.on(GetPublicKeyCommand).resolves({
      KeyId: ARN,
      PublicKey: new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' })),
    });
    const verifier = new KmsAuditDigestVerifier(
      new KMSClient({ region: 'eu-west-1' }),
      'alias/audit-digests',
    );
    const pem = key.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(await verifier.publicKeyPem(ARN)).toBe(pem);
    expect(await verifier.publicKeyPem('alias/audit-digests')).toBe(pem);
    expect(await verifier.publicKeyPem('arn:aws:kms:eu-west-1:111122223333:key/other')).toBeUndefined();
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    kms.restore();
  });
});

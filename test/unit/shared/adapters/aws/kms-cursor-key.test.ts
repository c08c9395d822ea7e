import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CURSOR_KEY_LABEL, KmsCursorKey } from '../../../../../shared/adapters/aws/kms-cursor-key.ts';

const kms = mockClient(KMSClient);

describe('KmsCursorKey', () => {
  beforeEach(() => kms.reset());

  it('derives the key with one GenerateMac over the fixed label and reuses it', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(9) });
    const keys = new KmsCursorKey(new KMSClient({}), 'arn:aws:kms:eu-west-1:111111111111:key/cursor');

    const first = await keys.key();
    const second = await keys.key();

    expect(first).toEqual(new Uint8Array(32).fill(9));
    expect(second).toBe(first);
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(1);
    expect(kms.commandCalls(GenerateMacCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'arn:aws:kms:eu-west-1:111111111111:key/cursor',
      MacAlgorithm: 'HMAC_SHA_256',
      Message: new TextEncoder().encode(CURSOR_KEY_LABEL),
    });
  });

  it('fails the request when KMS fails, and derives again on the next one', async () => {
    kms
      .on(GenerateMacCommand)
      .rejectsOnce(new Error('ThrottlingException'))
      .resolves({ Mac: new Uint8Array(32) });
    const keys = new KmsCursorKey(new KMSClient({}), 'alias/cursor');

    await expect(keys.key()).rejects.toThrow('ThrottlingException');
    await expect(keys.key()).resolves.toHaveLength(32);
  });
});

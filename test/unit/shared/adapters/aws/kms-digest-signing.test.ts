import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { KmsAuditDigestVerifier } from '../../../../../shared/adapters/aws/kms-audit-digest-verifier.ts';
import { KmsReleaseSigner } from '../../../../../shared/adapters/aws/kms-release-signer.ts';
import {
  DIGEST_SIGNING_ALGORITHM,
  digestSigningPayload,
} from '../../../../../shared/domain/audit-chain/chain-format.ts';
import { ecdsaDigestSignatureCheck } from '../../../../../shared/domain/audit-chain/verify-chain.ts';
import { buildTestChain, CHAIN_TENANT, signingKey } from '../../../../support/audit-chain.ts';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/digest';

describe('audit digests signed with the KMS digest key', () => {
  it('signs the SHA-256 of the digest payload (ECDSA_SHA_256, DIGEST) and the verifier accepts it', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const [unsigned] = buildTestChain(signingKey(), 3, 3, CHAIN_TENANT).digests;
    const { signature: _ignored, ...digest } = unsigned ?? ({} as NonNullable<typeof unsigned>);
    const payload = Buffer.from(digestSigningPayload(digest), 'utf8');
    // KMS stands in as a local P-256 key: it signs the payload whose SHA-256 it was sent.
    kms.on(SignCommand).callsFake((input: { Message: Uint8Array }) => {
      expect(Buffer.from(input.Message)).toEqual(createHash('sha256').update(payload).digest());
      return { Signature: sign('sha256', payload, { key: privateKey, dsaEncoding: 'der' }), KeyId: KEY_ARN };
    });
    kms.on(GetPublicKeyCommand).resolves({
      KeyId: KEY_ARN,
      PublicKey: publicKey.export({ format: 'der', type: 'spki' }),
    });
    const signer = new KmsReleaseSigner(new KMSClient({ region: 'eu-west-1' }), KEY_ARN);

    const value = await signer.sign(payload);
    const signature = { keyId: signer.keyId, algorithm: DIGEST_SIGNING_ALGORITHM, value } as const;

    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      KeyId: KEY_ARN,
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    const pem = await new KmsAuditDigestVerifier(
      new KMSClient({ region: 'eu-west-1' }),
      KEY_ARN,
    ).publicKeyPem(KEY_ARN);
    const check = ecdsaDigestSignatureCheck(new Map([[KEY_ARN, createPublicKey(pem ?? '')]]));
    expect(check(digestSigningPayload(digest), signature)).toBe(true);
    expect(check(digestSigningPayload({ ...digest, lastSeq: 2 }), signature)).toBe(false);
  });
});

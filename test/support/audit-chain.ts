import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { auditChainDigestKey, auditChainRecordKey } from '../../shared/adapters/aws/s3-audit-chain-store.ts';
import {
  type AuditDigest,
  buildDigest,
  type ChainedRecord,
  chainRecord,
  DIGEST_SIGNING_ALGORITHM,
  digestSigningPayload,
  type UnsignedDigest,
} from '../../shared/domain/audit-chain/chain-format.ts';
import type { StoredChainObject } from '../../shared/domain/audit-chain/verify-chain.ts';

export const CHAIN_TENANT = 'tenant-chain';
export const DIGEST_KEY_ID = 'local-audit-digest-key';

export interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function signingKey(): SigningKey {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export function signDigest(digest: UnsignedDigest, key: SigningKey, keyId = DIGEST_KEY_ID): AuditDigest {
  const value = sign('sha256', Buffer.from(digestSigningPayload(digest), 'utf8'), key.privateKey).toString(
    'base64',
  );
  return { ...digest, signature: { keyId, algorithm: DIGEST_SIGNING_ALGORITHM, value } };
}

export interface TestChain {
  readonly records: ChainedRecord[];
  readonly digests: AuditDigest[];
  readonly recordObjects: StoredChainObject[];
  readonly digestObjects: StoredChainObject[];
}

/** `count` records, one a minute from 10:00, and a signed digest per `perDigest` records (full periods). */
export function buildTestChain(
  key: SigningKey,
  count = 10,
  perDigest = 3,
  tenantId = CHAIN_TENANT,
): TestChain {
  const records: ChainedRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    records.push(
      chainRecord(records.at(-1), {
        tenantId,
        recordId: `rec-${index + 1}`,
        recordedAt: new Date(Date.UTC(2026, 11, 1, 10, index)).toISOString(),
        record: {
          action: 'plugin:invoke',
          outcome: 'success',
          actor: 'user:u1',
          resourceIds: [`p-${index}`],
        },
      }),
    );
  }
  const digests: AuditDigest[] = [];
  for (let start = 0; start + perDigest <= count && digests.length < 3; start += perDigest) {
    const period = records.slice(start, start + perDigest);
    const periodStart = new Date(Date.UTC(2026, 11, 1, 10, start)).toISOString();
    const periodEnd = new Date(Date.UTC(2026, 11, 1, 10, start + perDigest)).toISOString();
    digests.push(
      signDigest(
        buildDigest({ tenantId, periodStart, periodEnd, records: period, previousDigest: digests.at(-1) }),
        key,
      ),
    );
  }
  return {
    records,
    digests,
    recordObjects: records.map((record) => recordObject(record)),
    digestObjects: digests.map((digest) => digestObject(digest)),
  };
}

export const recordObject = (record: ChainedRecord): StoredChainObject => ({
  objectKey: auditChainRecordKey(record.tenantId, record.seq),
  text: JSON.stringify(record),
});

export const digestObject = (digest: AuditDigest): StoredChainObject => ({
  objectKey: auditChainDigestKey(digest.tenantId, digest.periodStart),
  text: JSON.stringify(digest),
});

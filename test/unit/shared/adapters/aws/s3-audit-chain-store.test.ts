import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  auditChainDigestKey,
  auditChainRecordKey,
  S3AuditChainStore,
} from '../../../../../shared/adapters/aws/s3-audit-chain-store.ts';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
const store = () => new S3AuditChainStore(new S3Client({ region: 'us-east-1' }), 'compliance-log');

describe('S3AuditChainStore', () => {
  it('keys records by zero-padded seq and digests by period start', () => {
    expect(auditChainRecordKey('t1', 42)).toBe('audit-chain/t1/records/000000000042.json');
    expect(auditChainDigestKey('t1', '2026-12-01T10:00:00.000Z')).toBe(
      'audit-chain/t1/digests/2026-12-01T10:00:00.000Z.json',
    );
  });

  it('lists every page of a tenant prefix in key order and filters by seq range', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 'audit-chain/t1/records/' })
      .resolvesOnce({
        Contents: [{ Key: auditChainRecordKey('t1', 2) }, { Key: auditChainRecordKey('t1', 1) }],
        IsTruncated: true,
        NextContinuationToken: 'next',
      })
      .resolvesOnce({ Contents: [{ Key: auditChainRecordKey('t1', 3) }], IsTruncated: false });
    expect(await store().listRecordKeys('t1', { fromSeq: 2 })).toEqual([
      auditChainRecordKey('t1', 2),
      auditChainRecordKey('t1', 3),
    ]);
    const calls = s3.commandCalls(ListObjectsV2Command);
    expect(calls.map((call) => call.args[0].input.ContinuationToken)).toEqual([undefined, 'next']);
    // Listing from a seq starts after its predecessor's key, not at the chain's start.
    expect(calls[0]?.args[0].input.StartAfter).toBe(auditChainRecordKey('t1', 1));
  });

  it('reads an object as text, and a missing one as undefined', async () => {
    s3.on(GetObjectCommand, { Key: 'present' }).resolves({
      // The SDK's stream body, as far as the adapter uses it.
      Body: { transformToString: async () => '{"a":1}' } as never,
    });
    s3.on(GetObjectCommand, { Key: 'gone' }).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect(await store().read('present')).toBe('{"a":1}');
    expect(await store().read('gone')).toBeUndefined();
  });
});

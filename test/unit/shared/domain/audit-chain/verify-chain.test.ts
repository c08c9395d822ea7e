import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditDigest,
  buildDigest,
  type ChainedRecord,
  canonicalJson,
  chainRecord,
  GENESIS_HASH,
  recordHashOf,
} from '../../../../../shared/domain/audit-chain/chain-format.ts';
import {
  ecdsaDigestSignatureCheck,
  verifyChain,
} from '../../../../../shared/domain/audit-chain/verify-chain.ts';
import {
  buildTestChain,
  CHAIN_TENANT,
  DIGEST_KEY_ID,
  digestObject,
  recordObject,
  signDigest,
  signingKey,
} from '../../../../support/audit-chain.ts';

const key = signingKey();
const check = ecdsaDigestSignatureCheck(new Map([[DIGEST_KEY_ID, key.publicKey]]));
const chain = buildTestChain(key);
const recordAt = (index: number) => chain.records[index] as ChainedRecord;
const digestAt = (index: number) => chain.digests[index] as AuditDigest;

const verify = (records = chain.recordObjects, digests = chain.digestObjects) =>
  verifyChain(CHAIN_TENANT, records, digests, check);

function swap<T>(items: readonly T[], a: number, b: number): T[] {
  const copy = [...items];
  [copy[a], copy[b]] = [copy[b] as T, copy[a] as T];
  return copy;
}

describe('the chain format', () => {
  it('links each record to its predecessor, genesis for seq 1', () => {
    expect(chain.records[0]?.seq).toBe(1);
    expect(chain.records[0]?.previousHash).toBe(GENESIS_HASH);
    expect(chain.records[4]?.previousHash).toBe(chain.records[3]?.hash);
    expect(recordHashOf(recordAt(4))).toBe(chain.records[4]?.hash);
  });

  it('hashes canonical JSON, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: 2 }] })).toBe('{"a":[2,{"c":2,"d":1}],"b":1}');
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain of 10 records and 3 digests (the open period included)', () => {
    expect(verify()).toEqual({ ok: true, records: 10, digests: 3 });
  });

  it('catches an altered record field', () => {
    const altered = { ...chain.records[4], recordId: 'rec-forged' };
    const records = chain.recordObjects.with(4, {
      ...recordObject(recordAt(4)),
      text: JSON.stringify(altered),
    });
    expect(verify(records)).toEqual({
      ok: false,
      firstBroken: { kind: 'record', reason: 'hash-mismatch', seq: 5, objectKey: records[4]?.objectKey },
    });
  });

  it('catches an altered record whose hash was recomputed, at the next link', () => {
    const forged = { ...recordAt(4), record: { action: 'forged' } };
    const rehashed = { ...forged, hash: recordHashOf(forged) };
    const records = chain.recordObjects.with(4, recordObject(rehashed));
    expect(verify(records)).toMatchObject({
      ok: false,
      firstBroken: { reason: 'previous-hash-mismatch', seq: 6 },
    });
  });

  it('catches an altered hash', () => {
    const records = chain.recordObjects.with(2, recordObject({ ...recordAt(2), hash: 'a'.repeat(64) }));
    expect(verify(records)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'record', reason: 'hash-mismatch', seq: 3 },
    });
  });

  it('catches a deleted record as a gap at its seq', () => {
    const records = chain.recordObjects.toSpliced(6, 1);
    expect(verify(records)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'record', reason: 'sequence-gap', seq: 7 },
    });
  });

  it('catches a deleted last record of a digested period through the digest', () => {
    // Record 9 ends period 3; without it, record 10 reads as a gap.
    const records = chain.recordObjects.toSpliced(8, 1);
    expect(verify(records)).toMatchObject({ ok: false, firstBroken: { reason: 'sequence-gap', seq: 9 } });
  });

  it('catches an inserted record', () => {
    const inserted = chainRecord(chain.records[3], {
      tenantId: CHAIN_TENANT,
      recordId: 'rec-inserted',
      recordedAt: '2026-12-01T10:03:30.000Z',
      record: { action: 'inserted' },
    });
    const records = chain.recordObjects.toSpliced(4, 0, recordObject(inserted));
    expect(verify(records)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'record', reason: 'duplicate', seq: 5 },
    });
  });

  it('catches a fully re-chained history (insertion with every later link rewritten) through the digests', () => {
    const rebuilt = [...chain.records.slice(0, 4)];
    rebuilt.push(
      chainRecord(rebuilt.at(-1), {
        tenantId: CHAIN_TENANT,
        recordId: 'rec-x',
        recordedAt: '2026-12-01T10:04:00.000Z',
        record: {},
      }),
    );
    for (const original of chain.records.slice(4, 9)) {
      rebuilt.push(chainRecord(rebuilt.at(-1), { ...original }));
    }
    expect(verify(rebuilt.map(recordObject))).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'digest-mismatch', periodStart: chain.digests[1]?.periodStart },
    });
  });

  it('catches two reordered records', () => {
    const records = swap(chain.recordObjects, 3, 4);
    expect(verify(records)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'record', reason: 'sequence-order', seq: 5 },
    });
  });

  it('catches a duplicated record', () => {
    const records = chain.recordObjects.toSpliced(3, 0, chain.recordObjects[2] as never);
    expect(verify(records)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'record', reason: 'duplicate', seq: 3 },
    });
  });

  it('catches an altered digest field by its signature', () => {
    const altered = { ...digestAt(1), lastSeq: 5 };
    const digests = chain.digestObjects.with(1, digestObject(altered));
    expect(verify(undefined, digests)).toEqual({
      ok: false,
      firstBroken: {
        kind: 'digest',
        reason: 'signature-invalid',
        periodStart: chain.digests[1]?.periodStart,
        objectKey: chain.digestObjects[1]?.objectKey,
      },
    });
  });

  it('catches a deleted digest', () => {
    expect(verify(undefined, chain.digestObjects.toSpliced(1, 1))).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'missing-digest', periodStart: chain.digests[2]?.periodStart },
    });
    expect(verify(undefined, chain.digestObjects.slice(1))).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'missing-digest', periodStart: chain.digests[1]?.periodStart },
    });
  });

  it('catches a digest forged with another key', () => {
    const other = signingKey();
    const { signature: _signature, ...unsigned } = digestAt(1);
    const forged = signDigest({ ...unsigned, lastRecordHash: 'b'.repeat(64) }, other);
    const digests = chain.digestObjects.with(1, digestObject(forged));
    expect(verify(undefined, digests)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'signature-invalid' },
    });
  });

  it('catches a digest re-signed with the right key over rewritten records only through the chain', () => {
    // Someone with the signing key but not the records: a digest whose recordsHash is wrong.
    const { signature: _signature, ...unsigned } = digestAt(0);
    const resigned = signDigest({ ...unsigned, recordsHash: 'c'.repeat(64) }, key);
    const digests = chain.digestObjects.with(0, digestObject(resigned));
    expect(verify(undefined, digests)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'digest-mismatch' },
    });
  });

  it('catches reordered digests', () => {
    expect(verify(undefined, swap(chain.digestObjects, 1, 2))).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'sequence-order', periodStart: chain.digests[2]?.periodStart },
    });
    expect(verify(undefined, swap(chain.digestObjects, 0, 1))).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'sequence-order', periodStart: chain.digests[1]?.periodStart },
    });
  });

  it('catches a digest that does not chain to its predecessor', () => {
    const digest = buildDigest({
      tenantId: CHAIN_TENANT,
      periodStart: chain.digests[1]?.periodStart as string,
      periodEnd: chain.digests[1]?.periodEnd as string,
      records: chain.records.slice(3, 6),
      previousDigest: undefined,
    });
    const digests = chain.digestObjects.with(1, digestObject(signDigest(digest, key)));
    expect(verify(undefined, digests)).toMatchObject({
      ok: false,
      firstBroken: { kind: 'digest', reason: 'previous-hash-mismatch' },
    });
  });

  it('reports unparsable objects by key', () => {
    const records = chain.recordObjects.with(1, { objectKey: 'k', text: '{not json' });
    expect(verify(records)).toEqual({
      ok: false,
      firstBroken: { kind: 'record', reason: 'unparsable', objectKey: 'k' },
    });
  });

  it('catches any single-byte change to any record', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: chain.records.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (index, position, delta) => {
          const text = canonicalJson(chain.records[index]);
          const bytes = Buffer.from(text, 'utf8');
          const at = position % bytes.length;
          bytes[at] = ((bytes[at] as number) + delta) % 256;
          const records = chain.recordObjects.with(index, { objectKey: 'x', text: bytes.toString('latin1') });
          expect(verify(records).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

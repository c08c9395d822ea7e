import { type KeyObject, verify } from 'node:crypto';
import {
  type AuditDigest,
  AuditDigestSchema,
  type ChainedRecord,
  ChainedRecordSchema,
  type DigestSignature,
  digestHashOf,
  digestSigningPayload,
  GENESIS_HASH,
  recordHashOf,
  recordsHashOf,
} from './chain-format.ts';

/** One stored object of the chain as read: its key and its text, not yet trusted or parsed. */
export interface StoredChainObject {
  readonly objectKey: string;
  readonly text: string;
}

export type ChainBreakReason =
  | 'hash-mismatch'
  | 'previous-hash-mismatch'
  | 'sequence-gap'
  | 'sequence-order'
  | 'duplicate'
  | 'missing-digest'
  | 'digest-mismatch'
  | 'signature-invalid'
  | 'unparsable';

/** Where the chain first broke: positions and keys only, never record contents. */
export interface ChainBreak {
  readonly kind: 'record' | 'digest';
  readonly reason: ChainBreakReason;
  readonly seq?: number;
  readonly periodStart?: string;
  readonly objectKey?: string;
}

export type ChainVerification =
  | { readonly ok: true; readonly records: number; readonly digests: number }
  | { readonly ok: false; readonly firstBroken: ChainBreak };

/** True when `signature` is a valid signature of `payload` by the key it names. */
export type DigestSignatureCheck = (payload: string, signature: DigestSignature) => boolean;

/** Where a partial walk (a time range) starts: the last verified link before it. Genesis when absent. */
export interface ChainAnchor {
  readonly lastSeq: number;
  readonly lastRecordHash: string;
  readonly lastDigestHash: string;
}

export const GENESIS_ANCHOR: ChainAnchor = {
  lastSeq: 0,
  lastRecordHash: GENESIS_HASH,
  lastDigestHash: GENESIS_HASH,
};

/** ECDSA P-256 / SHA-256 over DER signatures with the public keys by key id; unknown keys fail. */
export function ecdsaDigestSignatureCheck(publicKeys: ReadonlyMap<string, KeyObject>): DigestSignatureCheck {
  return (payload, signature) => {
    const key = publicKeys.get(signature.keyId);
    if (!key) return false;
    try {
      return verify('sha256', Buffer.from(payload, 'utf8'), key, Buffer.from(signature.value, 'base64'));
    } catch {
      return false;
    }
  };
}

function parse<T>(
  object: StoredChainObject,
  schema: { safeParse(value: unknown): { success: boolean; data?: T } },
) {
  try {
    const result = schema.safeParse(JSON.parse(object.text));
    return result.success ? (result.data as T) : undefined;
  } catch {
    return undefined;
  }
}

function seqOf(object: StoredChainObject): number | undefined {
  return parse<ChainedRecord>(object, ChainedRecordSchema)?.seq;
}

function verifyRecords(
  tenantId: string,
  objects: readonly StoredChainObject[],
  anchor: ChainAnchor,
): { broken: ChainBreak } | { records: ChainedRecord[] } {
  const records: ChainedRecord[] = [];
  const seen = new Set<number>();
  let previousSeq = anchor.lastSeq;
  let previousHash = anchor.lastRecordHash;
  for (const [index, object] of objects.entries()) {
    const { objectKey } = object;
    const record = parse<ChainedRecord>(object, ChainedRecordSchema);
    if (!record || record.tenantId !== tenantId)
      return { broken: { kind: 'record', reason: 'unparsable', objectKey } };
    const { seq } = record;
    if (recordHashOf(record) !== record.hash)
      return { broken: { kind: 'record', reason: 'hash-mismatch', seq, objectKey } };
    if (seq <= previousSeq) {
      const reason = seen.has(seq) ? 'duplicate' : 'sequence-order';
      return { broken: { kind: 'record', reason, seq, objectKey } };
    }
    const expected = previousSeq + 1;
    if (seq > expected) {
      const later = objects.slice(index + 1).some((candidate) => seqOf(candidate) === expected);
      return later
        ? { broken: { kind: 'record', reason: 'sequence-order', seq, objectKey } }
        : { broken: { kind: 'record', reason: 'sequence-gap', seq: expected, objectKey } };
    }
    if (record.previousHash !== previousHash) {
      return { broken: { kind: 'record', reason: 'previous-hash-mismatch', seq, objectKey } };
    }
    seen.add(seq);
    records.push(record);
    previousSeq = seq;
    previousHash = record.hash;
  }
  return { records };
}

/**
 * Walks a tenant's chained records (in listing order, i.e. by seq) and its digests (by period)
 * and answers the first broken link. Records after the last digest belong to the open period and
 * are checked by the chain alone; removing the newest records together with the newest digest is
 * not detectable from the bucket alone (CloudTrail has the same limit): compare with an external
 * copy of the latest digest hash.
 */
export function verifyChain(
  tenantId: string,
  recordObjects: readonly StoredChainObject[],
  digestObjects: readonly StoredChainObject[],
  checkSignature: DigestSignatureCheck,
  anchor: ChainAnchor = GENESIS_ANCHOR,
): ChainVerification {
  const walked = verifyRecords(tenantId, recordObjects, anchor);
  if ('broken' in walked) return { ok: false, firstBroken: walked.broken };
  const bySeq = new Map(walked.records.map((record) => [record.seq, record]));

  let previousLastSeq = anchor.lastSeq;
  let previousDigestHash = anchor.lastDigestHash;
  let previousPeriodEnd: string | undefined;
  for (const [index, object] of digestObjects.entries()) {
    const { objectKey } = object;
    const digest = parse<AuditDigest>(object, AuditDigestSchema);
    if (!digest || digest.tenantId !== tenantId)
      return { ok: false, firstBroken: { kind: 'digest', reason: 'unparsable', objectKey } };
    const at = { kind: 'digest' as const, periodStart: digest.periodStart, objectKey };
    if (!checkSignature(digestSigningPayload(digest), digest.signature)) {
      return { ok: false, firstBroken: { ...at, reason: 'signature-invalid' } };
    }
    const outOfOrder =
      digest.firstSeq <= previousLastSeq ||
      (previousPeriodEnd !== undefined && Date.parse(digest.periodStart) < Date.parse(previousPeriodEnd));
    if (outOfOrder) return { ok: false, firstBroken: { ...at, reason: 'sequence-order' } };
    if (digest.firstSeq !== previousLastSeq + 1) {
      // The expected period is further on in the listing: moved, not missing.
      const expected = previousLastSeq + 1;
      const later = digestObjects
        .slice(index + 1)
        .some((candidate) => parse<AuditDigest>(candidate, AuditDigestSchema)?.firstSeq === expected);
      return { ok: false, firstBroken: { ...at, reason: later ? 'sequence-order' : 'missing-digest' } };
    }
    if (digest.previousDigestHash !== previousDigestHash) {
      return { ok: false, firstBroken: { ...at, reason: 'previous-hash-mismatch' } };
    }
    const covered: ChainedRecord[] = [];
    for (let seq = digest.firstSeq; seq <= digest.lastSeq; seq += 1) {
      const record = bySeq.get(seq);
      if (!record) return { ok: false, firstBroken: { kind: 'record', reason: 'sequence-gap', seq } };
      covered.push(record);
    }
    const inPeriod = covered.every((record) => {
      const time = Date.parse(record.recordedAt);
      return time >= Date.parse(digest.periodStart) && time < Date.parse(digest.periodEnd);
    });
    const matches =
      inPeriod &&
      covered.at(-1)?.hash === digest.lastRecordHash &&
      recordsHashOf(covered.map((record) => record.hash)) === digest.recordsHash;
    if (!matches) return { ok: false, firstBroken: { ...at, reason: 'digest-mismatch' } };
    previousLastSeq = digest.lastSeq;
    previousDigestHash = digestHashOf(digest);
    previousPeriodEnd = digest.periodEnd;
  }
  return { ok: true, records: walked.records.length, digests: digestObjects.length };
}

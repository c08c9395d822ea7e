import canonicalize from 'canonicalize';
import { z } from 'zod';
import { sha256Hex } from '../signatures.ts';

export { sha256Hex } from '../signatures.ts';

/**
 * The tamper-evident audit chain (issue #10), in the spirit of CloudTrail log file integrity
 * validation: records are chained per tenant stream (each carries its predecessor's hash) and
 * periodic digests (the hash of the period's record hashes plus the previous digest's hash) are
 * signed with a KMS key. Every hash is SHA-256 over RFC 8785 (JCS) canonical JSON.
 */

export const GENESIS_HASH = '0'.repeat(64);
/** The chain of records that belong to no tenant (a publisher's marketplace actions…). */
export const PLATFORM_CHAIN_TENANT = '_platform';
/** The chain a record of `tenantId` is appended to (no tenant: the platform's own). */
export const chainTenantOf = (tenantId: string | undefined): string => tenantId ?? PLATFORM_CHAIN_TENANT;
export const DIGEST_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/);

export const ChainedRecordSchema = z.strictObject({
  tenantId: z.string().min(1).max(128),
  seq: z.number().int().positive(),
  recordId: z.string().min(1).max(128),
  recordedAt: z.iso.datetime(),
  previousHash: Sha256HexSchema,
  hash: Sha256HexSchema,
  /** The audit record itself (ids only, never contents: see AuditRecordSchema). */
  record: z.record(z.string(), z.unknown()),
});
export type ChainedRecord = z.infer<typeof ChainedRecordSchema>;

export const DigestSignatureSchema = z.strictObject({
  keyId: z.string().min(1).max(2048),
  algorithm: z.literal(DIGEST_SIGNING_ALGORITHM),
  /** Base64 of the DER-encoded ECDSA signature, as KMS `Sign` answers it. */
  value: z.string().min(1).max(512),
});
export type DigestSignature = z.infer<typeof DigestSignatureSchema>;

export const UnsignedDigestSchema = z.strictObject({
  tenantId: z.string().min(1).max(128),
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
  firstSeq: z.number().int().positive(),
  lastSeq: z.number().int().positive(),
  lastRecordHash: Sha256HexSchema,
  /** SHA-256 over the period's record hashes (hex, concatenated in seq order). */
  recordsHash: Sha256HexSchema,
  previousDigestHash: Sha256HexSchema,
});
export type UnsignedDigest = z.infer<typeof UnsignedDigestSchema>;

export const AuditDigestSchema = UnsignedDigestSchema.extend({ signature: DigestSignatureSchema });
export type AuditDigest = z.infer<typeof AuditDigestSchema>;

/** RFC 8785 canonical JSON; only JSON values reach here, so the result is always defined. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('not a JSON value');
  return text;
}

/** A record's hash: SHA-256 of the canonical JSON of everything but `hash`. */
export function recordHashOf(record: Omit<ChainedRecord, 'hash'> & { hash?: string }): string {
  const { hash: _hash, ...rest } = record;
  return sha256Hex(canonicalJson(rest));
}

/** What the digest signature covers: the canonical JSON of the digest without `signature`. */
export function digestSigningPayload(digest: UnsignedDigest | AuditDigest): string {
  const { signature: _signature, ...rest } = digest as AuditDigest;
  return canonicalJson(rest);
}

/** A digest's own hash, chained into the next digest: the whole signed digest. */
export function digestHashOf(digest: AuditDigest): string {
  return sha256Hex(canonicalJson(digest));
}

export function recordsHashOf(recordHashes: readonly string[]): string {
  return sha256Hex(recordHashes.join(''));
}

export interface ChainRecordInput {
  readonly tenantId: string;
  readonly recordId: string;
  readonly recordedAt: string;
  readonly record: Record<string, unknown>;
}

/** Where a record sits in its chain: its seq and its predecessor's hash (genesis for seq 1). */
export interface ChainPosition {
  readonly seq: number;
  readonly previousHash: string;
}

/** The chained record at a position: the same position and input always give the same bytes. */
export function chainRecordAt(position: ChainPosition, input: ChainRecordInput): ChainedRecord {
  const unhashed = {
    tenantId: input.tenantId,
    seq: position.seq,
    recordId: input.recordId,
    recordedAt: input.recordedAt,
    previousHash: position.previousHash,
    record: input.record,
  };
  return { ...unhashed, hash: recordHashOf(unhashed) };
}

/** The next link of a tenant's chain: seq and previous hash from its predecessor (none for seq 1). */
export function chainRecord(
  previous: Pick<ChainedRecord, 'seq' | 'hash'> | undefined,
  input: ChainRecordInput,
): ChainedRecord {
  return chainRecordAt(
    previous
      ? { seq: previous.seq + 1, previousHash: previous.hash }
      : { seq: 1, previousHash: GENESIS_HASH },
    input,
  );
}

export interface BuildDigestInput {
  readonly tenantId: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** The period's records, in seq order, at least one. */
  readonly records: readonly ChainedRecord[];
  readonly previousDigest: AuditDigest | undefined;
}

/** The unsigned digest of one period; sign `digestSigningPayload(digest)` and attach the signature. */
export function buildDigest(input: BuildDigestInput): UnsignedDigest {
  const first = input.records[0];
  const last = input.records.at(-1);
  if (!first || !last) throw new RangeError('a digest covers at least one record');
  return {
    tenantId: input.tenantId,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    firstSeq: first.seq,
    lastSeq: last.seq,
    lastRecordHash: last.hash,
    recordsHash: recordsHashOf(input.records.map((record) => record.hash)),
    previousDigestHash: input.previousDigest ? digestHashOf(input.previousDigest) : GENESIS_HASH,
  };
}

import type { AuditDigest, ChainedRecord } from '../domain/audit-chain/chain-format.ts';

/** Seq bounds (inclusive) of a listing of chained records; open when absent. */
export interface SeqRange {
  readonly fromSeq?: number | undefined;
  readonly toSeq?: number | undefined;
}

/** Period-start bounds (ISO, inclusive) of a listing of digests; open when absent. */
export interface PeriodRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/**
 * Where a tenant's chained audit records and signed digests are stored. Keys list in chain order:
 * records by zero-padded seq, digests by period start.
 */
export interface AuditChainStore {
  /** Every tenant with a chain in the store (`_platform` among them), sorted. */
  listTenants(): Promise<string[]>;
  listRecordKeys(tenantId: string, range?: SeqRange): Promise<string[]>;
  listDigestKeys(tenantId: string, range?: PeriodRange): Promise<string[]>;
  /** The object's text, or undefined when it is gone. */
  read(objectKey: string): Promise<string | undefined>;
}

/** The public keys digests are signed with, by key id (a KMS key ARN or id, or a local key's id). */
export interface AuditDigestVerifier {
  /** The key's SPKI PEM, or undefined when no such key is known. */
  publicKeyPem(keyId: string): Promise<string | undefined>;
}

/**
 * Writes the chain's objects at their keys (record by seq, digest by period start). Writing one
 * again writes the same bytes: a chained record is a pure function of its link and its record.
 */
export interface AuditChainWriter {
  putRecord(record: ChainedRecord): Promise<void>;
  putDigest(digest: AuditDigest): Promise<void>;
}

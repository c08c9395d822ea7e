/** Where a tenant's chain stands: the newest link's seq and hash, and when it was chained. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
  readonly recordedAt: string;
}

/** One record's place in its tenant's chain, kept so that a redelivered record gets the same link. */
export interface ChainLink extends ChainHead {
  readonly recordId: string;
  readonly previousHash: string;
}

/** What the last signed digest of a tenant's chain covered, and the digest itself (JSON text). */
export interface DigestState {
  readonly lastSeq: number;
  readonly periodStart: string;
  readonly digest: string;
}

/**
 * The heads of the per-tenant audit chains and a marker per chained record (the audit table).
 * Advancing is conditional on the head read, and writes the record's marker in the same
 * transaction: each record id is chained exactly once, however often it is delivered, and two
 * consumers on one tenant cannot both take one seq.
 */
export interface AuditChainHeads {
  head(chainTenantId: string): Promise<ChainHead | undefined>;
  /** The link a record was already given, or undefined when it has none yet. */
  linkOf(chainTenantId: string, recordId: string): Promise<ChainLink | undefined>;
  /**
   * Moves the head from `expected` (undefined: no head yet) to `link` and stores the record's
   * marker; answers false, writing nothing, when the head moved or the record has a marker.
   */
  advance(chainTenantId: string, expected: ChainHead | undefined, link: ChainLink): Promise<boolean>;
  /** Every tenant with a chain (including the platform's own). */
  listChains(): Promise<string[]>;
  digestState(chainTenantId: string): Promise<DigestState | undefined>;
  /**
   * Records a new digest; conditional on the state read (`expectedLastSeq`, 0 for none), answering
   * false when another run recorded one first.
   */
  recordDigest(chainTenantId: string, expectedLastSeq: number, state: DigestState): Promise<boolean>;
}

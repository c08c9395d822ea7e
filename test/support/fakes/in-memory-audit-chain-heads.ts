import type {
  AuditChainHeads,
  ChainHead,
  ChainLink,
  DigestState,
} from '../../../shared/ports/audit-chain-heads.ts';

/**
 * Chain heads, markers and digest state in memory, with the adapter's conditions: a head advances
 * only from the head named, a marker is written once. `beforeAdvance` runs just before the
 * condition is checked (a test's other consumer moving the head first).
 */
export class InMemoryAuditChainHeads implements AuditChainHeads {
  readonly heads = new Map<string, ChainHead>();
  readonly links = new Map<string, ChainLink>();
  readonly digests = new Map<string, DigestState>();
  beforeAdvance: ((chainTenantId: string) => Promise<void>) | undefined;
  advanceCalls = 0;

  async head(chainTenantId: string): Promise<ChainHead | undefined> {
    return this.heads.get(chainTenantId);
  }

  async linkOf(chainTenantId: string, recordId: string): Promise<ChainLink | undefined> {
    return this.links.get(`${chainTenantId}/${recordId}`);
  }

  async advance(chainTenantId: string, expected: ChainHead | undefined, link: ChainLink): Promise<boolean> {
    this.advanceCalls += 1;
    const hook = this.beforeAdvance;
    this.beforeAdvance = undefined;
    if (hook) await hook(chainTenantId);
    const current = this.heads.get(chainTenantId);
    const linkKey = `${chainTenantId}/${link.recordId}`;
    const isSameHead = current?.seq === expected?.seq && current?.hash === expected?.hash;
    if (!isSameHead || this.links.has(linkKey)) return false;
    this.heads.set(chainTenantId, { seq: link.seq, hash: link.hash, recordedAt: link.recordedAt });
    this.links.set(linkKey, link);
    return true;
  }

  async listChains(): Promise<string[]> {
    return [...this.heads.keys()].sort();
  }

  async digestState(chainTenantId: string): Promise<DigestState | undefined> {
    return this.digests.get(chainTenantId);
  }

  async recordDigest(chainTenantId: string, expectedLastSeq: number, state: DigestState): Promise<boolean> {
    if ((this.digests.get(chainTenantId)?.lastSeq ?? 0) !== expectedLastSeq) return false;
    this.digests.set(chainTenantId, state);
    return true;
  }
}

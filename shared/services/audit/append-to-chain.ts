import {
  type ChainedRecord,
  type ChainRecordInput,
  chainRecord,
  chainRecordAt,
  chainTenantOf,
} from '../../domain/audit-chain/chain-format.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import type { AuditChainHeads, ChainLink } from '../../ports/audit-chain-heads.ts';
import type { AuditChainWriter } from '../../ports/audit-chain-store.ts';
import type { Clock } from '../../ports/clock.ts';
import { appendOnceInSequence } from '../append-once-in-sequence.ts';

export interface ChainAppendDependencies {
  readonly heads: AuditChainHeads;
  readonly chainWriter: AuditChainWriter;
  readonly clock: Clock;
  /** Read-advance attempts when another consumer moves the same head first. */
  readonly chainAttempts?: number;
}

const DEFAULT_CHAIN_ATTEMPTS = 8;

/** What the chain keeps of an audit record: its whole envelope (ids and codes only, as recorded). */
function chainInputOf(event: PlatformEvent, chainTenantId: string, recordedAt: string): ChainRecordInput {
  return { tenantId: chainTenantId, recordId: event.id, recordedAt, record: { ...event } };
}

/**
 * Chain time is strictly increasing along a chain (at least a millisecond after the head), so a
 * digest period, which ends a millisecond after its last record, never covers a later record, even
 * when the clocks of two consumers disagree.
 */
function chainTimeAfter(head: { recordedAt: string } | undefined, now: Date): string {
  const floor = head === undefined ? Number.NEGATIVE_INFINITY : Date.parse(head.recordedAt) + 1;
  return new Date(Math.max(now.getTime(), floor)).toISOString();
}

/** The chained record a link stands for, checked against the hash the link was stored with. */
function recordOfLink(event: PlatformEvent, chainTenantId: string, link: ChainLink): ChainedRecord {
  const record = chainRecordAt(link, chainInputOf(event, chainTenantId, link.recordedAt));
  if (record.hash !== link.hash)
    throw new Error(`audit record ${event.id} does not match the link it was chained with (seq ${link.seq})`);
  return record;
}

/**
 * Appends one audit record to its tenant's chain, exactly once per record id: a record that was
 * chained before (a redelivery) gets its link back; otherwise the head is advanced conditionally
 * with the record's marker, and a collision (another consumer on the same tenant) reads again.
 * The object is written after the link, at its seq's key; a failure there is repaired by the
 * redelivery, which writes the same bytes.
 */
export async function appendToChain(
  event: PlatformEvent,
  deps: ChainAppendDependencies,
): Promise<ChainedRecord> {
  const chainTenantId = chainTenantOf(event.tenantId);
  const placement = await appendOnceInSequence<ChainedRecord>(
    {
      existing: async () => {
        const link = await deps.heads.linkOf(chainTenantId, event.id);
        return link === undefined ? undefined : recordOfLink(event, chainTenantId, link);
      },
      next: async () => {
        const head = await deps.heads.head(chainTenantId);
        const recordedAt = chainTimeAfter(head, deps.clock.now());
        const record = chainRecord(head, chainInputOf(event, chainTenantId, recordedAt));
        const link: ChainLink = {
          recordId: event.id,
          seq: record.seq,
          previousHash: record.previousHash,
          hash: record.hash,
          recordedAt,
        };
        return { link: record, advance: () => deps.heads.advance(chainTenantId, head, link) };
      },
    },
    deps.chainAttempts ?? DEFAULT_CHAIN_ATTEMPTS,
  );
  if (placement === undefined)
    throw new Error(
      `the ${chainTenantId} audit chain kept moving; record ${event.id} is left for redelivery`,
    );
  await deps.chainWriter.putRecord(placement.link);
  return placement.link;
}

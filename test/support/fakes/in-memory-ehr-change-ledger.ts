import type { LedgerEntry, SeenVersion } from '../../../shared/domain/ehr-change.ts';
import type { NotificationRecordType } from '../../../shared/domain/ehr-notification.ts';
import type { TenantId } from '../../../shared/domain/identifiers.ts';
import type { EhrChangeLedger } from '../../../shared/ports/ehr-change-ledger.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import type { InMemoryOutbox } from './in-memory-outbox.ts';

/** The change ledger in memory: a claim and its entries commit in one step, as the transaction does. */
export class InMemoryEhrChangeLedger implements EhrChangeLedger {
  readonly entries = new Map<string, LedgerEntry>();
  /** Runs before each claim's condition check: a test's concurrent claim lands here. */
  beforeClaim: (() => void) | undefined;

  private readonly outbox: InMemoryOutbox;

  constructor(outbox: InMemoryOutbox) {
    this.outbox = outbox;
  }

  async lastSeen(
    tenantId: TenantId,
    type: NotificationRecordType,
    id: string,
  ): Promise<LedgerEntry | undefined> {
    return this.entries.get(keyOf(tenantId, type, id));
  }

  async claim(
    tenantId: TenantId,
    seen: SeenVersion,
    previousVersionId: string | undefined,
    outbox: OutboxEntries,
  ): Promise<boolean> {
    const hook = this.beforeClaim;
    this.beforeClaim = undefined;
    hook?.();
    const key = keyOf(tenantId, seen.type, seen.id);
    if (this.entries.get(key)?.versionId !== previousVersionId) return false;
    this.entries.set(key, {
      type: seen.type,
      id: seen.id,
      versionId: seen.versionId,
      ...(seen.type === 'Appointment' ? { snapshot: seen.snapshot } : {}),
    });
    this.outbox.commit(outbox);
    return true;
  }
}

const keyOf = (tenantId: string, type: string, id: string) => `${tenantId}/${type}/${id}`;

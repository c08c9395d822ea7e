import type { LedgerEntry, SeenVersion } from '../domain/ehr-change.ts';
import type { NotificationRecordType } from '../domain/ehr-notification.ts';
import type { TenantId } from '../domain/identifiers.ts';
import type { OutboxEntries } from './outbox.ts';

/**
 * The last version of each EHR record (per tenant, type and id) the platform turned into its data
 * event, whoever caused it: the EHR (a rest-hook notification) or a plugin (the plugin API). A
 * version is claimed once; whoever claims it writes its events in the same transaction, so a
 * replayed notification, or the EHR's notification of a plugin's own write, emits nothing.
 */
export interface EhrChangeLedger {
  lastSeen(tenantId: TenantId, type: NotificationRecordType, id: string): Promise<LedgerEntry | undefined>;
  /**
   * Records `seen` as the record's last version only if the stored entry's version is still
   * `previousVersionId` (undefined: no entry yet), with `outbox` in the same transaction. False
   * when another claim got there first: nothing was written.
   */
  claim(
    tenantId: TenantId,
    seen: SeenVersion,
    previousVersionId: string | undefined,
    outbox: OutboxEntries,
  ): Promise<boolean>;
}

import type { AuditRecord } from '../../../shared/domain/platform-events.ts';
import type { AuditDeliveryFailure, AuditOutbox } from '../../../shared/ports/audit-outbox.ts';

/** Keeps what was queued, so a test can see a record that the audit log refused. */
export class InMemoryAuditOutbox implements AuditOutbox {
  readonly queued: { record: AuditRecord; failure: AuditDeliveryFailure }[] = [];

  async enqueue(record: AuditRecord, failure: AuditDeliveryFailure): Promise<void> {
    this.queued.push({ record, failure });
  }
}

import { type AuditRecord, AuditRecordSchema } from '../../../shared/domain/platform-events.ts';
import type { AuditLog } from '../../../shared/ports/audit-log.ts';

export class InMemoryAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];

  async record(record: AuditRecord) {
    this.records.push(AuditRecordSchema.parse(record));
  }
}

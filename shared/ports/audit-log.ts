import type { AuditRecord } from '../domain/platform-events.ts';

/** The HIPAA audit trail: every record reaches the compliance-log bucket through the event bus. */
export interface AuditLog {
  record(record: AuditRecord): Promise<void>;
}

import type { AuditRecord } from '../domain/platform-events.ts';

/** Why an audit record is queued instead of written: the last error's name, never its message. */
export interface AuditDeliveryFailure {
  readonly errorName: string;
  readonly attempts: number;
}

/**
 * Where an audit record goes when the audit log keeps refusing it after a change was committed:
 * the change stands and answers its success, and the record waits here for later delivery.
 * Enqueueing must not throw (an implementation swallows its own failures).
 */
export interface AuditOutbox {
  enqueue(record: AuditRecord, failure: AuditDeliveryFailure): Promise<void>;
}

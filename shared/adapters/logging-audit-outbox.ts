import type { AuditRecord } from '../domain/platform-events.ts';
import type { AuditDeliveryFailure, AuditOutbox } from '../ports/audit-outbox.ts';

interface WarningLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
}

/**
 * Stand-in until a durable outbox exists: it cannot deliver the record later, so it
 * records that one was lost, by action and error name only. The record itself stays out of the
 * logs, and so does the error's message (an SDK message may quote a request).
 */
export class LoggingAuditOutbox implements AuditOutbox {
  private readonly logger: WarningLogger;

  constructor(logger: WarningLogger) {
    this.logger = logger;
  }

  async enqueue(record: AuditRecord, failure: AuditDeliveryFailure): Promise<void> {
    try {
      this.logger.warn('audit record not delivered', {
        auditAction: record.action,
        errorName: failure.errorName,
        attempts: failure.attempts,
      });
    } catch {
      /* an outbox never fails the request it serves */
    }
  }
}

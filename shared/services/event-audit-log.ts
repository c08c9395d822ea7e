import { type AuditRecord, AuditRecordSchema } from '../domain/platform-events.ts';
import type { AuditLog } from '../ports/audit-log.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { IdGenerator } from '../ports/id-generator.ts';
import { platformEvent } from './platform-event.ts';

/** Audit records travel as `audit:<action>` events, so one bus rule delivers them to the compliance log. */
export class EventAuditLog implements AuditLog {
  private readonly publisher: EventPublisher;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;

  constructor(deps: { publisher: EventPublisher; clock: Clock; ids: IdGenerator }) {
    this.publisher = deps.publisher;
    this.clock = deps.clock;
    this.ids = deps.ids;
  }

  async record(record: AuditRecord): Promise<void> {
    const detail = AuditRecordSchema.parse(record);
    const sources = { ids: this.ids, clock: this.clock };
    await this.publisher.publish([
      platformEvent(`audit:${detail.action}`, detail.tenantId || undefined, detail, sources),
    ]);
  }
}

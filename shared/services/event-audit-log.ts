import { type AuditRecord, AuditRecordSchema } from '../domain/platform-events.ts';
import type { AuditLog } from '../ports/audit-log.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { IdGenerator } from '../ports/id-generator.ts';

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
    await this.publisher.publish([
      {
        id: this.ids.next(),
        name: `audit:${detail.action}`,
        time: this.clock.now().toISOString(),
        ...(detail.tenantId ? { tenantId: detail.tenantId } : {}),
        detail,
      },
    ]);
  }
}

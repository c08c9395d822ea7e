import type { AuditRecord, PlatformEvent } from '../../../shared/domain/platform-events.ts';
import type { Outbox, OutboxEntries } from '../../../shared/ports/outbox.ts';

/**
 * The outbox in memory. Fake repositories call `commit` with the entries of a change they store
 * (in the same step, as the DynamoDB transaction would), services call `append` for records that
 * join no change. `failAppends` makes standalone appends reject, to test failing closed.
 */
export class InMemoryOutbox implements Outbox {
  readonly entries: PlatformEvent[] = [];
  failAppends = 0;

  async append(entries: OutboxEntries): Promise<void> {
    if (this.failAppends > 0) {
      this.failAppends -= 1;
      throw Object.assign(new Error('outbox unavailable'), { name: 'ServiceUnavailable' });
    }
    this.commit(entries);
  }

  commit(entries: OutboxEntries): void {
    this.entries.push(...entries);
  }

  /** The audit records, as their events carry them. */
  get records(): AuditRecord[] {
    return this.entries
      .filter((entry) => entry.name.startsWith('audit:'))
      .map((entry) => entry.detail as AuditRecord);
  }

  /** The events that are not audit records, optionally of one name. */
  events(name?: string): PlatformEvent[] {
    return this.entries.filter(
      (entry) => !entry.name.startsWith('audit:') && (name === undefined || entry.name === name),
    );
  }
}

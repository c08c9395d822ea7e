import { pluginActor } from '../../domain/actors.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { ResourceExceeded, SecurityEvent } from '../../sandbox/schemas.ts';
import { platformEvent } from '../platform-event.ts';

/**
 * The sandbox's hooks for the platform: a denied permission or reserved event name becomes a
 * security audit record, and every limit a run hits becomes `plugin:resource:exceeded`. The sandbox
 * reports each kind of refusal once per run with its count, so a hostile loop costs one record per
 * kind, not one per attempt. It fires hooks without waiting, and a Lambda instance is frozen as soon as its handler returns, so
 * the execution path awaits `drain()` before answering: nothing is lost to a frozen instance.
 */
export class SandboxObserver {
  private readonly audit: AuditLog;
  private readonly events: EventPublisher;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly onFailure: (error: unknown) => void;
  private readonly pending = new Set<Promise<void>>();

  constructor(deps: {
    audit: AuditLog;
    events: EventPublisher;
    clock: Clock;
    ids: IdGenerator;
    onFailure?: (error: unknown) => void;
  }) {
    this.audit = deps.audit;
    this.events = deps.events;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.onFailure = deps.onFailure ?? (() => {});
  }

  readonly onSecurityEvent = (event: SecurityEvent): void => {
    this.track(
      this.audit.record({
        action:
          event.type === 'permission-denied' ? 'security:permission-denied' : 'security:reserved-event-name',
        outcome: 'refused',
        actor: pluginActor(event.pluginId),
        tenantId: event.tenantId,
        pluginId: event.pluginId,
        version: event.version,
        code: 'PermissionDenied',
        reason: event.permission
          ? `${event.operation} requires ${event.permission}`
          : `${event.operation} used the reserved namespace ${event.namespace ?? '(unknown)'}`,
        occurrences: { count: event.count, firstAt: event.firstAt, lastAt: event.lastAt },
      }),
    );
  };

  readonly onResourceExceeded = (event: ResourceExceeded): void => {
    this.track(
      this.events.publish([
        platformEvent(
          'plugin:resource:exceeded',
          event.tenantId,
          {
            pluginId: event.pluginId,
            version: event.version,
            tenantId: event.tenantId,
            resource: event.resource,
            limit: event.limit,
            observed: event.observed,
            count: event.count,
            firstAt: event.firstAt,
            lastAt: event.lastAt,
          },
          { ids: this.ids, clock: this.clock },
        ),
      ]),
    );
  };

  /** Waits for every hook started so far; failures are reported, never thrown into a run's answer. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.then(undefined, (error: unknown) => this.onFailure(error));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}

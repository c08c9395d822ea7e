import type { PlatformEvent } from '../domain/platform-events.ts';
import type { Clock } from '../ports/clock.ts';
import type { IdGenerator } from '../ports/id-generator.ts';

/** Where an event's id and time come from: ports, so tests fix both. */
export interface EventSources {
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * The one envelope of every event the platform publishes (lifecycle, audit, security, resource,
 * plugin-emitted): a fresh id, the clock's time, the tenant it belongs to when there is one, and
 * the detail as given. Details hold ids, versions, codes and figures only: never PHI.
 */
export function platformEvent(
  name: string,
  tenantId: string | undefined,
  detail: Record<string, unknown>,
  sources: EventSources,
): PlatformEvent {
  return {
    id: sources.ids.next(),
    name,
    time: sources.clock.now().toISOString(),
    ...(tenantId === undefined ? {} : { tenantId }),
    detail,
  };
}

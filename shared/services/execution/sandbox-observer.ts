import type { ResourceExceeded, SecurityEvent } from '../../sandbox/schemas.ts';

/** A run as the sandbox names it in what it reports. */
export interface ObservedRun {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly version: string;
}

/** What the sandbox reported about one run: its refusals (coalesced, counted) and limits it hit. */
export interface RunObservations {
  readonly securityEvents: readonly SecurityEvent[];
  readonly resourceEvents: readonly ResourceExceeded[];
}

const keyOf = ({ tenantId, pluginId, version }: ObservedRun) =>
  `${tenantId}\u0000${pluginId}\u0000${version}`;

/**
 * The sandbox's hooks for the platform, as a collector: a denied permission or reserved event name
 * and every limit a run hits are kept until the run is recorded, and then go into the run's
 * outbox entries, in the same transaction as its usage (nothing is published on the side, so
 * nothing is lost to a Lambda instance frozen after its answer). The sandbox reports each kind of
 * refusal once per run with its count, and reports them before the run's result resolves, so a
 * run's observations are all here when it is recorded.
 */
export class SandboxObserver {
  private readonly observed = new Map<string, { security: SecurityEvent[]; resources: ResourceExceeded[] }>();

  readonly onSecurityEvent = (event: SecurityEvent): void => {
    this.of(event).security.push(event);
  };

  readonly onResourceExceeded = (event: ResourceExceeded): void => {
    this.of(event).resources.push(event);
  };

  /** Hands over (and forgets) what was reported for this run. */
  take(run: ObservedRun): RunObservations {
    const key = keyOf(run);
    const found = this.observed.get(key);
    this.observed.delete(key);
    return { securityEvents: found?.security ?? [], resourceEvents: found?.resources ?? [] };
  }

  private of(run: ObservedRun) {
    const key = keyOf(run);
    let found = this.observed.get(key);
    if (!found) {
      found = { security: [], resources: [] };
      this.observed.set(key, found);
    }
    return found;
  }
}

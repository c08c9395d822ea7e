import type { ResourceExceeded, SecurityEvent } from './schemas.ts';

/** Distinct refusal kinds one run can report; a run probing many more shares one overflow entry each. */
export const MAX_REFUSAL_KINDS = 16;

type Identity = Pick<SecurityEvent, 'tenantId' | 'pluginId' | 'version'>;
type SecurityRefusal = Omit<SecurityEvent, keyof Identity | 'count' | 'firstAt' | 'lastAt'>;
type ResourceRefusal = Omit<ResourceExceeded, keyof Identity | 'count' | 'firstAt' | 'lastAt'>;

interface Entry<T> {
  refusal: T;
  count: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Coalesces one run's refusals: a plugin looping on a refused call used to produce one audit
 * record per attempt (tens of thousands a second, into write-once storage). Here each kind of
 * refusal costs a map update, and the run reports one entry per kind with a count and the first
 * and last time, after it has ended.
 */
export class RefusalTally {
  readonly #security = new Map<string, Entry<SecurityRefusal>>();
  readonly #resources = new Map<string, Entry<ResourceRefusal>>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  security(refusal: SecurityRefusal): void {
    const key = `${refusal.type}\u0000${refusal.operation}\u0000${refusal.permission ?? refusal.namespace ?? ''}`;
    this.#add(this.#security, key, refusal, () => ({ type: refusal.type, operation: '*' }));
  }

  resource(refusal: ResourceRefusal): void {
    this.#add(this.#resources, refusal.resource, refusal, () => refusal);
  }

  /** Keeps the highest observed figure of a resource (a rate counter keeps growing). */
  #add<T extends SecurityRefusal | ResourceRefusal>(
    entries: Map<string, Entry<T>>,
    key: string,
    refusal: T,
    overflow: () => T,
  ): void {
    const now = this.#now();
    let entry = entries.get(key);
    if (!entry && entries.size >= MAX_REFUSAL_KINDS) {
      const fallback = overflow();
      key = `\u0001overflow\u0000${JSON.stringify(fallback)}`;
      entry = entries.get(key);
      refusal = fallback;
    }
    if (!entry) {
      entries.set(key, { refusal, count: 1, firstAt: now, lastAt: now });
      return;
    }
    entry.count++;
    entry.lastAt = now;
    if (observedOf(entry.refusal) < observedOf(refusal)) entry.refusal = refusal;
  }

  securityEvents(identity: Identity): SecurityEvent[] {
    return [...this.#security.values()].map((entry) => ({ ...identity, ...entry.refusal, ...times(entry) }));
  }

  resourceEvents(identity: Identity): ResourceExceeded[] {
    return [...this.#resources.values()].map((entry) => ({ ...identity, ...entry.refusal, ...times(entry) }));
  }
}

function observedOf(refusal: SecurityRefusal | ResourceRefusal): number {
  return 'observed' in refusal ? refusal.observed : 0;
}

function times(entry: Entry<unknown>) {
  return {
    count: entry.count,
    firstAt: new Date(entry.firstAt).toISOString(),
    lastAt: new Date(entry.lastAt).toISOString(),
  };
}

/** A single refusal reported as it happens (a run's own timeout, memory or CPU stop). */
export function onceAt(now: number = Date.now()) {
  const at = new Date(now).toISOString();
  return { count: 1, firstAt: at, lastAt: at };
}

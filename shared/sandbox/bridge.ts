import { type ApiErrorCode, HostError, isApiErrorCode, sanitizeHostMessage } from './errors.ts';
import { qualifyEventName } from './event-names.ts';
import type { HttpRequestInit, PluginHost } from './host.ts';
import type { Limits } from './limits.ts';
import { MAX_DENIED_CALLS, RATE_WINDOW_MS } from './limits.ts';
import { type CounterKind, OPERATIONS, type OperationContext } from './operations.ts';
import { RefusalTally } from './refusal-tally.ts';
import type { EmittedEvent, JsonValue, LogEntry, ResourceExceeded, SecurityEvent } from './schemas.ts';
import type { FailedCharge } from './unsettled-charges.ts';
import { type ConsumeResult, runCounterKey, type UsageCounters } from './usage-counters.ts';

export const MAX_LOG_ENTRIES = 200;
export const MAX_LOG_MESSAGE_CHARS = 4_000;
export const MAX_LOG_META_CHARS = 8_192;
export const MAX_EVENTS = 100;
export const MAX_EVENT_DATA_CHARS = 64 * 1024;
export const MAX_CALLS_IN_FLIGHT = 64;
/** After the shared counter refused a call, later calls of that kind are refused here for this long. */
const RATE_LIMIT_RECHECK_MS = 1_000;

export interface RunIdentity {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly version: string;
}

export interface BridgeHooks {
  onSecurityEvent?(event: SecurityEvent): void | Promise<void>;
  onResourceExceeded?(event: ResourceExceeded): void | Promise<void>;
}

export interface BridgeCounterFailure {
  readonly operation: 'rate-counter' | 'denied-call-charge';
  readonly failed: FailedCharge;
}

/** Ends the run from the host side: the bridge decided it may not go on. */
export type StopRun = () => void;

/** Hooks observe; a failing hook must never change a run's outcome or reach the plugin. */
export function notify<T>(hook: ((event: T) => void | Promise<void>) | undefined, event: T): void {
  if (!hook) return;
  try {
    const result = hook(event);
    if (result && typeof result.then === 'function') result.then(undefined, () => {});
  } catch {
    // Observers are best effort by design.
  }
}

class CallFailure extends Error {
  readonly code: ApiErrorCode;

  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const NEVER = new Promise<never>(() => {});

/**
 * The host half of one run's API: validates and authorizes every call, counts it, calls the
 * tenant's host with fresh copies, and turns every outcome into a string for the isolate. Once the
 * run has settled it never calls the host again and never answers the isolate again, so code left
 * running in an abandoned context cannot reach data or resume.
 */
export class RunBridge implements OperationContext {
  readonly host: PluginHost;
  readonly logs: LogEntry[] = [];
  readonly events: EmittedEvent[] = [];
  /** Codes this run has thrown at the plugin: a run may only end with an API code it was given. */
  readonly issued = new Map<ApiErrorCode, string>();
  dataCalls = 0;
  networkCalls = 0;
  storageBytes = 0;
  inFlight = 0;
  isSettled = false;
  #droppedLogs = 0;
  #deniedCalls = 0;
  /** Set when the bridge ended the run: until the isolate is gone, every hook answers at once. */
  #stopReply: string | undefined;
  /** Denied calls not yet charged to the shared data-call counter: charged with the next call or at the end. */
  #unchargedDenials = 0;
  readonly #rateLimitedUntil = new Map<CounterKind, number>();
  /** The first rate check the store failed this run (one is enough to hold the next run). */
  readonly #counterFailures: FailedCharge[] = [];
  readonly #tally = new RefusalTally();
  #stopRun: StopRun | undefined;
  #storageUsed: number | undefined;
  readonly #grants: ReadonlySet<string>;
  readonly #identity: RunIdentity;
  readonly #limits: Limits;
  readonly #counters: UsageCounters;
  readonly #hooks: BridgeHooks;

  constructor(options: {
    host: PluginHost;
    grants: readonly string[];
    identity: RunIdentity;
    limits: Limits;
    counters: UsageCounters;
    hooks: BridgeHooks;
  }) {
    this.host = guardHost(options.host, () => this.isSettled);
    this.#grants = new Set(options.grants);
    this.#identity = options.identity;
    this.#limits = options.limits;
    this.#counters = options.counters;
    this.#hooks = options.hooks;
  }

  settle(): void {
    this.isSettled = true;
  }

  /** The runner's way to end the run early; set once the run has an isolate. */
  onStop(stop: StopRun): void {
    this.#stopRun = stop;
  }

  /**
   * After the run: one hook call per kind of refusal (with its count and first and last time), and
   * the denied calls charged to the shared data-call counter in one update rather than one each.
   * Answers the counter updates the store failed (this charge, and any rate check that failed
   * during the run), for the sandbox to hold the next run until the store answers again.
   */
  async report(): Promise<BridgeCounterFailure[]> {
    for (const event of this.#tally.securityEvents(this.#identity))
      notify(this.#hooks.onSecurityEvent, event);
    for (const event of this.#tally.resourceEvents(this.#identity))
      notify(this.#hooks.onResourceExceeded, event);
    const failures: BridgeCounterFailure[] = this.#counterFailures.map((failed) => ({
      operation: 'rate-counter',
      failed,
    }));
    const denials = this.#unchargedDenials;
    this.#unchargedDenials = 0;
    if (denials > 0) {
      const charge = { key: this.#counterKey('databaseQueries'), amount: denials, windowMs: RATE_WINDOW_MS };
      try {
        await this.#counters.consume(charge.key, charge.amount, Number.POSITIVE_INFINITY, charge.windowMs);
      } catch (error) {
        failures.push({ operation: 'denied-call-charge', failed: { charge, error } });
      }
    }
    return failures;
  }

  /**
   * Starts one API call and answers '' (the result goes to `reply`, at most once and never after
   * the run settled) or a refusal at once: a run cannot pile up unbounded host work.
   */
  call(method: string, argsJson: string, reply: (text: string) => void): string {
    if (this.isSettled) return 'SandboxCrashed\nthe run has ended';
    if (this.#stopReply) return this.#stopReply;
    if (this.inFlight >= MAX_CALLS_IN_FLIGHT) {
      const failure = this.#toFailure(
        new CallFailure('RateLimited', `at most ${MAX_CALLS_IN_FLIGHT} API calls may be pending at once`),
      );
      return `${failure.code}\n${failure.message}`;
    }
    this.inFlight++;
    this.#dispatch(method, argsJson).then(
      (text) => {
        this.inFlight--;
        if (!this.isSettled) reply(text);
      },
      () => {
        this.inFlight--;
      },
    );
    return '';
  }

  /** Logs and events, answered synchronously: '' or code + '\n' + message. */
  record(kind: string, json: string): string {
    if (this.isSettled) return 'SandboxCrashed\nthe run has ended';
    if (this.#stopReply) return this.#stopReply;
    try {
      if (kind === 'log') this.#recordLog(json);
      else if (kind === 'event') this.#recordEvent(json);
      else if (kind === 'oversized-event') this.#refuseOversizedEvent();
      else throw new CallFailure('InvalidArgument', 'unknown record kind');
      return '';
    } catch (error) {
      const failure = this.#toFailure(error);
      return `${failure.code}\n${failure.message}`;
    }
  }

  isGranted(permission: string): boolean {
    if (this.#grants.has(permission)) return true;
    if (!permission.startsWith('network:')) return false;
    const host = permission.slice('network:'.length);
    for (let dot = host.indexOf('.'); dot !== -1; dot = host.indexOf('.', dot + 1)) {
      if (this.#grants.has(`network:*${host.slice(dot)}`)) return true;
    }
    return false;
  }

  /**
   * Writes (or, for `undefined`, deletes) one storage entry within the plugin's quota and keeps
   * `storageBytes`. A store with `setWithinQuota` checks the quota atomically with the write, so
   * concurrent runs cannot each pass it against the same starting usage; for other stores the
   * check runs here against this run's view, which holds for one writer at a time.
   */
  async writeStorage(key: string, value: JsonValue | undefined): Promise<void> {
    const storage = this.host.storage;
    if (!storage) throw new CallFailure('PermissionDenied', 'storage is not available to this plugin');
    const quota = this.#limits.storageBytes;
    if (this.#storageUsed === undefined) this.#storageUsed = await this.#measureStorage();
    if (value !== undefined && storage.setWithinQuota) {
      const written = await storage.setWithinQuota(key, value, quota);
      if (!written.isStored) this.#refuseStorage(written.bytesUsed + written.deltaBytes);
      this.#storageUsed = Math.max(0, this.#storageUsed + written.deltaBytes);
      this.storageBytes = this.#storageUsed;
      return;
    }
    const previous = await storage.get(key);
    const previousBytes = previous === null || previous === undefined ? 0 : entryBytes(key, previous);
    const nextBytes = value === undefined ? 0 : entryBytes(key, value);
    const total = this.#storageUsed - previousBytes + nextBytes;
    if (nextBytes > previousBytes && total > quota) this.#refuseStorage(total);
    if (value === undefined) await storage.delete(key);
    else await storage.set(key, value);
    this.#storageUsed = Math.max(0, this.#storageUsed - previousBytes + nextBytes);
    this.storageBytes = this.#storageUsed;
  }

  #refuseStorage(observed: number): never {
    this.#exceeded('storage', this.#limits.storageBytes, observed);
    throw new CallFailure('QuotaExceeded', `storage quota of ${this.#limits.storageBytes} bytes exceeded`);
  }

  async #measureStorage(): Promise<number> {
    const storage = this.host.storage;
    if (!storage) return 0;
    if (storage.bytesUsed) return storage.bytesUsed();
    let total = 0;
    for (const key of await storage.list(undefined)) {
      const value = await storage.get(key);
      if (value !== null && value !== undefined) total += entryBytes(key, value);
    }
    return total;
  }

  async #dispatch(method: string, argsJson: string): Promise<string> {
    try {
      const operation = OPERATIONS.get(method);
      if (!operation) throw new CallFailure('InvalidArgument', `unknown API method ${method.slice(0, 64)}`);
      let raw: unknown;
      try {
        raw = parseUntrustedJson(argsJson);
      } catch {
        throw new CallFailure('InvalidArgument', `${method}: arguments must be JSON values`);
      }
      // The grant first: a plugin without it is denied (and audited) whatever arguments it sent.
      const permission = operation.permission(raw);
      if (permission !== undefined && !this.isGranted(permission)) {
        this.#tally.security({ type: 'permission-denied', operation: method, permission });
        this.#deny();
        throw new CallFailure('PermissionDenied', `${method} requires the ${permission} permission`);
      }
      const parsed = operation.schema.safeParse(raw);
      if (!parsed.success)
        throw new CallFailure('InvalidArgument', `${method}: ${describeIssues(parsed.error)}`);
      await this.#consume(operation.counter);
      if (this.isSettled) return NEVER;
      const value = await operation.invoke(this, parsed.data);
      if (this.isSettled) return NEVER;
      return `1${JSON.stringify(value ?? null)}`;
    } catch (error) {
      const failure = this.#toFailure(error);
      return `0${failure.code}\n${failure.message}`;
    }
  }

  /**
   * A denied call counts as a data call, and a run that keeps making them is ended: probing for
   * permissions costs the plugin its run, and the host a map update per attempt.
   */
  #deny(): void {
    this.dataCalls++;
    this.#unchargedDenials++;
    if (++this.#deniedCalls === MAX_DENIED_CALLS) {
      this.#stopReply = 'PermissionDenied\nthe run has been ended';
      this.#stopRun?.();
    }
  }

  #counterKey(kind: CounterKind): string {
    const { tenantId, pluginId } = this.#identity;
    return runCounterKey(tenantId, pluginId, kind);
  }

  async #consume(kind: CounterKind): Promise<void> {
    if (kind === 'networkCalls') this.networkCalls++;
    else this.dataCalls++;
    const limit =
      kind === 'networkCalls' ? this.#limits.networkCallsPerMinute : this.#limits.databaseQueriesPerMinute;
    const refused = () => new CallFailure('RateLimited', `${kind} limit of ${limit} per minute reached`);
    // A plugin retrying in a loop is answered here, not by one counter-store round trip per attempt.
    if (Date.now() < (this.#rateLimitedUntil.get(kind) ?? 0)) {
      this.#tally.resource({ resource: kind, limit, observed: limit + 1 });
      throw refused();
    }
    const denials = kind === 'databaseQueries' ? this.#unchargedDenials : 0;
    this.#unchargedDenials -= denials;
    let result: ConsumeResult;
    try {
      result = await this.#counters.consume(this.#counterKey(kind), 1 + denials, limit, RATE_WINDOW_MS);
    } catch (error) {
      // The call is refused (the plugin sees SandboxCrashed); its denials wait for the end-of-run
      // charge, and the failure holds the next run until the store answers a probe.
      this.#unchargedDenials += denials;
      if (this.#counterFailures.length === 0) {
        this.#counterFailures.push({
          charge: { key: this.#counterKey(kind), amount: 0, windowMs: RATE_WINDOW_MS },
          error,
        });
      }
      throw error;
    }
    if (!result.allowed) {
      this.#rateLimitedUntil.set(kind, Date.now() + RATE_LIMIT_RECHECK_MS);
      this.#tally.resource({ resource: kind, limit, observed: result.observed });
      throw refused();
    }
  }

  #recordLog(json: string): void {
    if (this.logs.length >= MAX_LOG_ENTRIES) {
      if (this.#droppedLogs++ === 0) {
        this.logs.push({
          level: 'warn',
          message: `log limit of ${MAX_LOG_ENTRIES} entries reached; later entries dropped`,
        });
      }
      return;
    }
    const [level, message, meta] = parseUntrustedJson(json) as [unknown, unknown, JsonValue];
    const entry: LogEntry = {
      level: level === 'error' || level === 'warn' ? level : 'info',
      message: typeof message === 'string' ? message.slice(0, MAX_LOG_MESSAGE_CHARS) : '',
    };
    if (meta !== null && meta !== undefined) {
      entry.meta = JSON.stringify(meta).length <= MAX_LOG_META_CHARS ? meta : { truncated: true };
    }
    this.logs.push(entry);
  }

  /** Cheap refusals first: past the cap nothing is parsed, so an emit loop costs the host almost nothing. */
  #recordEvent(json: string): void {
    if (this.events.length >= MAX_EVENTS) {
      this.#tally.resource({ resource: 'events', limit: MAX_EVENTS, observed: MAX_EVENTS + 1 });
      throw new CallFailure('QuotaExceeded', `events.emit: at most ${MAX_EVENTS} events per run`);
    }
    const [name, data] = parseUntrustedJson(json) as [unknown, JsonValue];
    const qualified = typeof name === 'string' ? qualifyEventName(this.#identity.pluginId, name) : undefined;
    if (qualified?.kind === 'reserved') {
      this.#tally.security({
        type: 'reserved-event-name',
        operation: 'events.emit',
        namespace: qualified.namespace,
      });
      this.#deny();
      throw new CallFailure('PermissionDenied', 'events.emit: platform event names cannot be emitted');
    }
    if (qualified?.kind !== 'qualified' || typeof name !== 'string') {
      throw new CallFailure(
        'InvalidArgument',
        'events.emit: name must be 1-128 letters, digits, ":", ".", "_" or "-", starting with a letter or digit',
      );
    }
    if (json.length - name.length > MAX_EVENT_DATA_CHARS) this.#refuseOversizedEvent();
    this.events.push({ name: qualified.name, data });
  }

  #refuseOversizedEvent(): never {
    this.#tally.resource({
      resource: 'eventSize',
      limit: MAX_EVENT_DATA_CHARS,
      observed: MAX_EVENT_DATA_CHARS + 1,
    });
    throw new CallFailure('QuotaExceeded', `events.emit: data exceeds ${MAX_EVENT_DATA_CHARS} characters`);
  }

  #exceeded(resource: ResourceExceeded['resource'], limit: number, observed: number): void {
    this.#tally.resource({ resource, limit, observed });
  }

  #toFailure(error: unknown): CallFailure {
    let failure: CallFailure;
    if (error instanceof CallFailure) failure = error;
    else if (error instanceof HostError && isApiErrorCode(error.code)) {
      failure = new CallFailure(error.code, sanitizeHostMessage(error.message));
    } else failure = new CallFailure('SandboxCrashed', 'the host failed to answer the call');
    this.issued.set(failure.code, failure.message);
    return failure;
  }
}

type AnyFunction = (...args: never[]) => unknown;

/**
 * The host as operations see it: every function refuses to reach the real host once the run has
 * settled, even midway through a chain of awaits (storage accounting reads before it writes), and
 * its promise then never settles, so nothing resumes in the abandoned context.
 */
function guardHost(host: PluginHost, isSettled: () => boolean): PluginHost {
  // Methods are named, not enumerated: an implementation may be a class with prototype methods.
  const guard = <Target extends object>(target: Target, names: readonly string[]): Target => {
    const guarded: Record<string, unknown> = {};
    for (const name of names) {
      const fn = (target as Record<string, unknown>)[name];
      if (typeof fn !== 'function') continue;
      guarded[name] = (...args: unknown[]) =>
        isSettled() ? NEVER : (fn as AnyFunction).apply(target, args as never[]);
    }
    return guarded as Target;
  };
  const { storage, fetch } = host;
  return {
    patients: guard(host.patients, ['search', 'get', 'update']),
    appointments: guard(host.appointments, ['schedule', 'cancel', 'reschedule']),
    ...(storage
      ? { storage: guard(storage, ['get', 'set', 'delete', 'list', 'bytesUsed', 'setWithinQuota']) }
      : {}),
    ...(fetch
      ? { fetch: (url: string, init: HttpRequestInit) => (isSettled() ? NEVER : fetch.call(host, url, init)) }
      : {}),
  };
}

const dropProtoKeys = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);

/**
 * JSON.parse keeps "__proto__" as an own key, and the first plain assignment of it on the host
 * (a spread, a schema copying a record) would set a prototype instead. Such keys never cross.
 */
export function parseUntrustedJson(json: string): unknown {
  // A \u escape can spell the key too, so either sign takes the slower, reviving parse.
  const mayHaveProtoKey = json.includes('__proto__') || json.includes('\\u');
  return mayHaveProtoKey ? JSON.parse(json, dropProtoKeys) : JSON.parse(json);
}

function entryBytes(key: string, value: JsonValue): number {
  return Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value));
}

function describeIssues(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  return error.issues
    .slice(0, 3)
    .map(
      (issue) =>
        `${issue.path.length > 0 ? `argument ${issue.path.map(String).join('.')}` : 'arguments'} ${issue.message}`,
    )
    .join('; ');
}

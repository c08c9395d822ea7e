import { createHash } from 'node:crypto';
import { actorIn, pluginActor } from '../../domain/actors.ts';
import { auditUnavailable } from '../../domain/errors/capacity-errors.ts';
import type { PluginId, TenantId } from '../../domain/identifiers.ts';
import type { Installation } from '../../domain/installation.ts';
import { type AuditRecord, MAX_AUDITED_IDS, type PlatformEvent } from '../../domain/platform-events.ts';
import type { RunSettlement } from '../../ports/run-ledger.ts';
import type { RunSample } from '../../ports/run-metrics.ts';
import type { EmittedEvent, Entry, RunResult, SecurityEvent } from '../../sandbox/schemas.ts';
import { auditEvent } from '../audit/audit-trail.ts';
import { platformEvent } from '../platform-event.ts';
import type { DataAccessTally } from './data-access-tally.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';
import { PLATFORM_FAULT_CODES, RESOURCE_CODES } from './invocation-outcome.ts';

/** Plugin events caused by plugin events, at most this deep: two plugins cannot ping-pong forever. */
export const MAX_EVENT_DEPTH = 4;

export interface ExecutionRequest {
  readonly tenantId: TenantId;
  readonly pluginId: PluginId;
  readonly entry: Entry;
  readonly input: unknown;
  readonly actor: string;
  readonly requestId: string;
  /** How many plugin events led to this run (0 for a direct invocation or a platform event). */
  readonly eventDepth: number;
  /** The asking HTTP request's `api:request` record, committed with the run's settlement if it runs. */
  readonly requestRecord?: AuditRecord | undefined;
}

/** A request once its installation is read: what the rest of the run reports under. */
export interface InstalledRequest extends ExecutionRequest {
  readonly installation: Installation;
}

/** What a run did through the plugin API, as its host tallied it. */
export interface RunAccess {
  readonly touchedPatientIds: readonly string[];
  readonly dataAccess: DataAccessTally;
}

/**
 * Everything the run leaves behind, in one transactional write: the usage, the lease release, the
 * CPU refunds and the run's outbox entries (its audit record with what it accessed, the security
 * records and limit breaches the sandbox reported, `plugin:error`, the events it emitted). The
 * answer waits for that write: when it fails, the run fails closed with `AUDIT_UNAVAILABLE`, so a
 * plugin's output never reaches its caller without the record of what it touched. Metrics and the
 * circuit breaker are best effort beside it (logged, ids and error names only).
 */
export async function recordRun(
  request: InstalledRequest,
  result: RunResult,
  {
    access,
    at,
    settlement,
  }: { access: RunAccess; at: string; settlement: Omit<RunSettlement, 'usage' | 'outbox'> },
  deps: ExecutionDependencies,
): Promise<void> {
  const { tenantId, pluginId, version } = request.installation;
  const errorCode = result.ok ? undefined : result.error.code;
  const isResource = errorCode !== undefined && RESOURCE_CODES.has(errorCode);
  const settled = deps.ledger.settle({
    usage: {
      tenantId,
      pluginId,
      version,
      at,
      ok: result.ok,
      errorCode,
      isLimitBreach: isResource,
      usage: result.usage,
      touchedPatientIds: [...access.touchedPatientIds],
    },
    ...settlement,
    outbox: runOutboxEntries(request, result, access, deps),
  });
  const sideSteps: [string, Promise<unknown>][] = [
    [
      'metrics',
      publishMetrics(deps, {
        tenantId,
        pluginId,
        ok: result.ok,
        isLimitBreach: isResource,
        usage: result.usage,
      }),
    ],
  ];
  if (errorCode !== undefined && !PLATFORM_FAULT_CODES.has(errorCode)) {
    sideSteps.push([
      'failure',
      deps.failures.recordFailure({
        tenantId,
        pluginId,
        version,
        kind: isResource ? 'resource' : 'error',
        code: errorCode,
      }),
    ]);
  }
  const [settlementOutcome, ...sideOutcomes] = await Promise.allSettled([
    settled,
    ...sideSteps.map(([, step]) => step),
  ]);
  sideOutcomes.forEach((outcome, index) => {
    if (outcome.status === 'rejected')
      warn(deps, `recording the run failed: ${sideSteps[index]?.[0]}`, request, outcome.reason);
  });
  if (settlementOutcome?.status === 'rejected') {
    warn(deps, 'the run could not be recorded; its result is withheld', request, settlementOutcome.reason);
    throw auditUnavailable();
  }
}

/**
 * The run's outbox entries, its audit record first (so it is always in the transaction, whatever
 * overflows): the record with the plugin's data access, then the sandbox's security records and
 * limit breaches, `plugin:error`, and the events the plugin emitted.
 */
export function runOutboxEntries(
  request: InstalledRequest,
  result: RunResult,
  access: RunAccess,
  deps: ExecutionDependencies,
): PlatformEvent[] {
  const observations = deps.observer.take(request.installation);
  const errorCode = result.ok ? undefined : result.error.code;
  for (const event of observations.securityEvents) {
    // The overflow entry of a run probing many operations names none of them.
    if (event.operation === '*') continue;
    access.dataAccess.denied(event.operation, event.permission, event.count);
  }
  access.dataAccess.served('events.emit', result.events.length);
  const dataAccess = access.dataAccess.entries();
  const record = auditEvent(
    {
      ...runRecord(request, result.ok ? 'success' : 'failure', errorCode),
      resourceIds: access.touchedPatientIds.slice(0, MAX_AUDITED_IDS),
      ...(dataAccess.length > 0 ? { dataAccess } : {}),
      ...(result.events.length > 0 ? { emittedEvents: result.events.map(fingerprintOf) } : {}),
    },
    deps.trail,
  );
  const requestRecord = request.requestRecord ? [auditEvent(request.requestRecord, deps.trail)] : [];
  const security = observations.securityEvents.map((event) => auditEvent(securityRecord(event), deps.trail));
  const resources = observations.resourceEvents.map((event) =>
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
      deps.trail,
    ),
  );
  // A limit breach is a security event too: queryable and chained, not only on the bus.
  const breaches = observations.resourceEvents.map((event) =>
    auditEvent(
      {
        action: 'security:limit-breach',
        outcome: 'refused',
        actor: pluginActor(event.pluginId),
        tenantId: event.tenantId,
        pluginId: event.pluginId,
        version: event.version,
        code: event.resource,
        reason: `${event.resource} observed ${event.observed} over its limit ${event.limit}`,
        occurrences: { count: event.count, firstAt: event.firstAt, lastAt: event.lastAt },
        requestId: request.requestId,
      },
      deps.trail,
    ),
  );
  const failure =
    errorCode !== undefined && !RESOURCE_CODES.has(errorCode) ? [pluginError(request, errorCode, deps)] : [];
  return [
    record,
    ...requestRecord,
    ...security,
    ...breaches,
    ...resources,
    ...failure,
    ...pluginEvents(request, result, deps),
  ];
}

/** The record of one run of an installation, however it ended (ran, refused, did not finish). */
export function runRecord(
  request: ExecutionRequest & { readonly installation?: Installation },
  outcome: AuditRecord['outcome'],
  code: string | undefined,
): AuditRecord {
  const { tenantId, pluginId, installation } = request;
  const version = installation?.version;
  const provenance = installation?.provenance;
  const publisherId = provenance?.kind === 'publisher' ? provenance.publisherId : undefined;
  return {
    action: request.entry === 'onEvent' ? 'plugin:event-delivered' : 'plugin:invoked',
    outcome,
    actor: actorIn(tenantId, request.actor),
    tenantId,
    pluginId,
    ...(version === undefined ? {} : { version }),
    requestId: request.requestId,
    ...(code === undefined ? {} : { code }),
    ...(publisherId === undefined ? {} : { publisherId }),
  };
}

/** A permission the plugin lacked, or a platform event name it tried: one record per kind, counted. */
function securityRecord(event: SecurityEvent): AuditRecord {
  return {
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
  };
}

/** Metrics are written synchronously; a failure among them is reported like any other step's. */
async function publishMetrics(deps: ExecutionDependencies, sample: RunSample): Promise<void> {
  deps.metrics?.publish(sample);
}

function pluginEvents(
  request: InstalledRequest,
  result: RunResult,
  deps: ExecutionDependencies,
): PlatformEvent[] {
  if (result.events.length === 0) return [];
  if (request.eventDepth >= MAX_EVENT_DEPTH) {
    warn(deps, 'plugin events dropped: event chain too deep', request, undefined);
    return [];
  }
  const { tenantId, pluginId, version } = request.installation;
  // The sandbox has already named every event `plugin-event:<pluginId>:<name>` and refused
  // platform namespaces, so no plugin event can pass for a platform one.
  return result.events.map((event) =>
    platformEvent(
      event.name,
      tenantId,
      { pluginId, version, name: event.name, data: event.data, depth: request.eventDepth + 1 },
      deps.trail,
    ),
  );
}

/** Event names made of words only; a name with digits could spell a birth date or a record number. */
const PLAIN_EVENT_NAME = /^[a-z:._-]+$/i;

/**
 * What the audit trail keeps of an emitted event: its payload is tenant data and stays out, and so
 * does a name that could carry it; both are kept as SHA-256 digests instead.
 */
function fingerprintOf(event: EmittedEvent) {
  const json = JSON.stringify(event.data);
  return {
    ...(PLAIN_EVENT_NAME.test(event.name) ? { name: event.name } : {}),
    nameSha256: sha256Of(event.name),
    bytes: Buffer.byteLength(json),
    sha256: sha256Of(json),
  };
}

const sha256Of = (text: string) => createHash('sha256').update(text).digest('hex');

function pluginError(request: InstalledRequest, code: string, deps: ExecutionDependencies): PlatformEvent {
  const { tenantId, pluginId, version } = request.installation;
  // The plugin's own message stays out: it is plugin output and may carry PHI.
  return platformEvent(
    'plugin:error',
    tenantId,
    { pluginId, version, tenantId, code, requestId: request.requestId },
    deps.trail,
  );
}

export function warn(
  deps: ExecutionDependencies,
  message: string,
  request: InstalledRequest,
  error: unknown,
): void {
  const { tenantId, pluginId, version } = request.installation;
  deps.logger?.warn(message, {
    tenantId,
    pluginId,
    version,
    requestId: request.requestId,
    errorName: error instanceof Error ? error.name : undefined,
  });
}

import { createHash } from 'node:crypto';
import { actorIn } from '../../domain/actors.ts';
import type { PluginId, TenantId } from '../../domain/identifiers.ts';
import type { Installation } from '../../domain/installation.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import type { RunSettlement } from '../../ports/run-ledger.ts';
import type { RunSample } from '../../ports/run-metrics.ts';
import type { EmittedEvent, Entry, RunResult } from '../../sandbox/schemas.ts';
import { recordAudit } from '../audited.ts';
import { platformEvent } from '../platform-event.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';
import { RESOURCE_CODES } from './invocation-outcome.ts';

/** Plugin events caused by plugin events, at most this deep: two plugins cannot ping-pong forever. */
export const MAX_EVENT_DEPTH = 4;
const MAX_AUDITED_RESOURCE_IDS = 1_000;

export interface ExecutionRequest {
  readonly tenantId: TenantId;
  readonly pluginId: PluginId;
  readonly entry: Entry;
  readonly input: unknown;
  readonly actor: string;
  readonly requestId: string;
  /** How many plugin events led to this run (0 for a direct invocation or a platform event). */
  readonly eventDepth: number;
}

/** A request once its installation is read: what the rest of the run reports under. */
export interface InstalledRequest extends ExecutionRequest {
  readonly installation: Installation;
}

/**
 * Everything the run leaves behind, sent together: the usage, the lease release and the CPU
 * refunds in one transactional write, the audit record and the events beside it. A failed write never fails
 * the run that committed: it is logged (ids and error names only), and a lease that was not
 * released expires on its own.
 */
export async function recordRun(
  request: InstalledRequest,
  result: RunResult,
  {
    touchedPatientIds,
    at,
    settlement,
  }: { touchedPatientIds: string[]; at: string; settlement: Omit<RunSettlement, 'usage'> },
  deps: ExecutionDependencies,
): Promise<void> {
  const { tenantId, pluginId, version } = request.installation;
  const errorCode = result.ok ? undefined : result.error.code;
  const isResource = errorCode !== undefined && RESOURCE_CODES.has(errorCode);
  const steps: [string, Promise<unknown>][] = [
    [
      'usage, lease and CPU refunds',
      deps.ledger.settle({
        usage: {
          tenantId,
          pluginId,
          version,
          at,
          ok: result.ok,
          errorCode,
          isLimitBreach: isResource,
          usage: result.usage,
          touchedPatientIds,
        },
        ...settlement,
      }),
    ],
    [
      'audit',
      recordAudit(deps, {
        action: request.entry === 'onEvent' ? 'plugin:event-delivered' : 'plugin:invoked',
        outcome: result.ok ? 'success' : 'failure',
        actor: actorIn(tenantId, request.actor),
        tenantId,
        pluginId,
        version,
        requestId: request.requestId,
        ...(errorCode ? { code: errorCode } : {}),
        resourceIds: touchedPatientIds.slice(0, MAX_AUDITED_RESOURCE_IDS),
        ...(result.events.length > 0 ? { emittedEvents: result.events.map(fingerprintOf) } : {}),
      }),
    ],
    ['plugin events', publishPluginEvents(request, result, deps)],
    ['observer', deps.observer.drain()],
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
  if (errorCode !== undefined) {
    steps.push([
      'failure',
      deps.failures.recordFailure({
        tenantId,
        pluginId,
        version,
        kind: isResource ? 'resource' : 'error',
        code: errorCode,
      }),
    ]);
    if (!isResource)
      steps.push(['plugin:error', deps.events.publish([pluginError(request, errorCode, deps)])]);
  }
  const settled = await Promise.allSettled(steps.map(([, step]) => step));
  settled.forEach((outcome, index) => {
    if (outcome.status === 'rejected')
      warn(deps, `recording the run failed: ${steps[index]?.[0]}`, request, outcome.reason);
  });
}

/** Metrics are written synchronously; a failure among them is reported like any other step's. */
async function publishMetrics(deps: ExecutionDependencies, sample: RunSample): Promise<void> {
  deps.metrics?.publish(sample);
}

function publishPluginEvents(
  request: InstalledRequest,
  result: RunResult,
  deps: ExecutionDependencies,
): Promise<void> {
  if (result.events.length === 0) return Promise.resolve();
  if (request.eventDepth >= MAX_EVENT_DEPTH) {
    warn(deps, 'plugin events dropped: event chain too deep', request, undefined);
    return Promise.resolve();
  }
  const { tenantId, pluginId, version } = request.installation;
  // The sandbox has already named every event `plugin-event:<pluginId>:<name>` and refused
  // platform namespaces, so no plugin event can pass for a platform one.
  const events: PlatformEvent[] = result.events.map((event) =>
    platformEvent(
      event.name,
      tenantId,
      { pluginId, version, name: event.name, data: event.data, depth: request.eventDepth + 1 },
      deps,
    ),
  );
  return deps.events.publish(events);
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
    deps,
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

import { createHash } from 'node:crypto';
import { actorIn } from '../../domain/actors.ts';
import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { Installation } from '../../domain/installation.ts';
import type { InvocationResult } from '../../domain/invocation.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import { effectiveLimits, type TenantPolicy } from '../../domain/tenant-policy.ts';
import type { Limits } from '../../sandbox/limits.ts';
import type { EmittedEvent, Entry, RunResult } from '../../sandbox/schemas.ts';
import { platformEvent } from '../platform-event.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';
import { RESOURCE_CODES, type RefusalCode, refusal } from './invocation-outcome.ts';
import { createPlatformHost } from './platform-host.ts';
import { effectiveGrants } from './plugin-grants.ts';
import { admitRun } from './tenant-run-lease.ts';

/** Plugin events caused by plugin events, at most this deep: two plugins cannot ping-pong forever. */
export const MAX_EVENT_DEPTH = 4;
const MAX_AUDITED_RESOURCE_IDS = 1_000;

export interface ExecutionRequest {
  readonly installation: Installation;
  readonly entry: Entry;
  readonly input: unknown;
  readonly actor: string;
  readonly requestId: string;
  /** How many plugin events led to this run (0 for a direct invocation or a platform event). */
  readonly eventDepth: number;
}

/**
 * Runs one installed plugin, failing closed: it must be enabled, its version not revoked, its
 * provenance admitted by the tenant's policy and proven for these exact bytes. Then it runs with
 * the policy-capped limits and the approved grants, and everything the run caused is published,
 * recorded and audited before the answer returns (a frozen Lambda instance would lose it after).
 */
export async function executeInstallation(
  request: ExecutionRequest,
  deps: ExecutionDependencies,
): Promise<InvocationResult> {
  const { installation } = request;
  const { tenantId, pluginId, version } = installation;
  if (installation.state !== 'enabled') {
    return refusal('PluginNotEnabled', `plugin ${pluginId} is not enabled in this tenant`);
  }
  if (await deps.revocations.isRevoked(pluginId, version)) {
    await refuseForSecurity(request, deps, 'PluginRevoked', 'security:revoked-version-refused');
    return refusal('PluginRevoked', `plugin ${pluginId} version ${version} has been revoked`);
  }
  const { policy } = await deps.policies.get(tenantId);
  let code: string;
  try {
    // The loader applies the tenant's trust in publisher keys too, on every run.
    code = await deps.artifacts.load(installation, policy);
  } catch (error) {
    if (!hasErrorCode(error, 'ARTIFACT_UNVERIFIED')) throw error;
    await refuseForSecurity(
      request,
      deps,
      'ArtifactUnverified',
      'security:unverified-artifact-refused',
      error.message,
    );
    return refusal('ArtifactUnverified', `plugin ${pluginId} version ${version} failed verification`);
  }

  const limits = effectiveLimits(installation.metadata.limits, policy.maximumLimits);
  // The tenant's concurrent-run cap, so one tenant cannot take the capacity all share: held from
  // here until the run is recorded.
  const admission = await admitRun(request, policy, limits, deps);
  if (!admission.isAdmitted) return admission.refusal;
  try {
    return await runAdmitted(request, { code, policy, limits }, deps);
  } finally {
    await admission.release();
  }
}

/** The run itself, once its provenance is proven and it holds one of the tenant's run slots. */
async function runAdmitted(
  request: ExecutionRequest,
  { code, policy, limits }: { code: string; policy: TenantPolicy; limits: Limits },
  deps: ExecutionDependencies,
): Promise<InvocationResult> {
  const { installation } = request;
  const { tenantId, pluginId, version } = installation;
  const host = createPlatformHost(
    {
      tenantId,
      pluginId,
      storage: deps.storage?.forPlugin(tenantId, pluginId, limits.storageBytes),
      fetch: deps.egress,
    },
    {
      ehr: deps.ehr,
      events: deps.events,
      clock: deps.clock,
      ids: deps.ids,
      onPublishFailure: (error) => warn(deps, 'a data event could not be published', request, error),
    },
  );
  const startedAt = deps.clock.now().toISOString();
  const result = await deps.sandbox.run({
    code,
    entry: request.entry,
    input: request.input,
    grants: effectiveGrants(installation, policy),
    tenantId,
    pluginId,
    version,
    limits,
    host,
    runId: request.requestId,
  });
  await recordRun(request, result, host.touchedPatientIds(), startedAt, deps);
  return result;
}

async function recordRun(
  request: ExecutionRequest,
  result: RunResult,
  touchedPatientIds: string[],
  at: string,
  deps: ExecutionDependencies,
): Promise<void> {
  const { tenantId, pluginId, version } = request.installation;
  const errorCode = result.ok ? undefined : result.error.code;
  const isResource = errorCode !== undefined && RESOURCE_CODES.has(errorCode);
  const steps: [string, Promise<unknown>][] = [
    [
      'usage',
      deps.usage.record({
        tenantId,
        pluginId,
        version,
        at,
        ok: result.ok,
        errorCode,
        usage: result.usage,
        touchedPatientIds,
      }),
    ],
    [
      'audit',
      deps.audit.record({
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

function publishPluginEvents(
  request: ExecutionRequest,
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

function pluginError(request: ExecutionRequest, code: string, deps: ExecutionDependencies): PlatformEvent {
  const { tenantId, pluginId, version } = request.installation;
  // The plugin's own message stays out: it is plugin output and may carry PHI.
  return platformEvent(
    'plugin:error',
    tenantId,
    { pluginId, version, tenantId, code, requestId: request.requestId },
    deps,
  );
}

async function refuseForSecurity(
  request: ExecutionRequest,
  deps: ExecutionDependencies,
  code: RefusalCode,
  action: string,
  reason?: string,
): Promise<void> {
  const { tenantId, pluginId, version } = request.installation;
  await deps.audit.record({
    action,
    outcome: 'refused',
    actor: actorIn(tenantId, request.actor),
    tenantId: tenantId as TenantId,
    pluginId,
    version,
    code,
    requestId: request.requestId,
    ...(reason ? { reason } : {}),
  });
}

function warn(deps: ExecutionDependencies, message: string, request: ExecutionRequest, error: unknown): void {
  const { tenantId, pluginId, version } = request.installation;
  deps.logger?.warn(message, {
    tenantId,
    pluginId,
    version,
    requestId: request.requestId,
    errorName: error instanceof Error ? error.name : undefined,
  });
}

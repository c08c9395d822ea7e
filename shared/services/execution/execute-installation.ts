import { actorIn } from '../../domain/actors.ts';
import { type DomainError, hasErrorCode } from '../../domain/errors/domain-error.ts';
import type { Installation } from '../../domain/installation.ts';
import { type Refusal, type RunOutcome, ran, refused } from '../../domain/invocation.ts';
import type { AuditRecord } from '../../domain/platform-events.ts';
import { effectiveLimits, type TenantPolicy } from '../../domain/tenant-policy.ts';
import type { LeaseSlot, RunLease } from '../../ports/run-lease-store.ts';
import { cpuCounterKey } from '../../sandbox/cpu-lease.ts';
import type { Limits } from '../../sandbox/limits.ts';
import type { RunResult } from '../../sandbox/schemas.ts';
import { runCounterKey } from '../../sandbox/usage-counters.ts';
import { appendAudit } from '../audit/audit-trail.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';
import { createPlatformHost } from './platform-host.ts';
import { effectiveGrants } from './plugin-grants.ts';
import { type ExecutionRequest, type InstalledRequest, recordRun, runRecord, warn } from './record-run.ts';
import { RunScopedCounters } from './run-scoped-counters.ts';
import { admitRun, type RunAdmission } from './tenant-run-lease.ts';

type Proof = { readonly code: string } | { readonly unverified: DomainError };

/**
 * The one path from "run this plugin" to a recorded run, shared by direct invocations and event
 * deliveries. It reads the installation, the tenant's policy and run slots in one round trip and
 * checks the state once, failing closed: the plugin must be enabled, its version not revoked, its
 * provenance admitted by the tenant's policy and proven for these exact bytes, and the tenant
 * under its concurrent-run cap. The lease is claimed while the revocation and the artifact are
 * checked (both cached when warm), and given back at once if either refuses; nothing runs until
 * all three agree. Then it runs with the policy-capped limits and the approved grants, and
 * everything the run caused (usage, lease release, its audit record and events) is written in one
 * transaction before the answer returns. Every way it ends has its record before the answer: a
 * refusal's and a failure's are appended on their own, and when no record can be written the
 * caller gets `AUDIT_UNAVAILABLE` instead (fail closed).
 */
export async function executeInstallation(
  request: ExecutionRequest,
  deps: ExecutionDependencies,
): Promise<RunOutcome> {
  let read: InstalledRequest | undefined;
  try {
    const { installation, policy, slots } = await deps.ledger.readContext(request.tenantId, request.pluginId);
    if (!installation) return await refuse(request, { code: 'PluginNotFound' }, [], deps);
    const installed: InstalledRequest = { ...request, installation };
    read = installed;
    return await executeInstalled(installed, policy, slots, deps);
  } catch (error) {
    // A run that could not be checked, or whose sandbox failed: recorded as a failure (fail closed
    // if even that cannot be recorded), then rethrown for the caller to refuse or retry.
    if (hasErrorCode(error, 'AUDIT_UNAVAILABLE')) throw error;
    await appendAudit(deps.trail, [runRecord(read ?? request, 'failure', 'INTERNAL_ERROR')]);
    throw error;
  }
}

async function executeInstalled(
  installed: InstalledRequest,
  policy: TenantPolicy,
  slots: readonly LeaseSlot[],
  deps: ExecutionDependencies,
): Promise<RunOutcome> {
  const { installation } = installed;
  if (installation.state !== 'enabled') {
    const refusal: Refusal = {
      code: 'PluginNotEnabled',
      state: installation.state,
      ...(installation.stateReason === undefined ? {} : { stateReason: installation.stateReason }),
    };
    return refuse(installed, refusal, [], deps);
  }
  const limits = effectiveLimits(installation.metadata.limits, policy.maximumLimits);
  const counters = new RunScopedCounters(deps.counters, {
    cpu: cpuCounterKey(installation.tenantId, installation.pluginId),
    dataCalls: runCounterKey(installation.tenantId, installation.pluginId, 'databaseQueries'),
  });
  // The tenant's concurrent-run cap, so one tenant cannot take the capacity all share: held from
  // here until the run is recorded. The run's first CPU chunk and data calls are reserved beside it.
  const [admission, { isRevoked, proof }] = await Promise.all([
    admitRun(installed, policy, limits, deps, slots),
    checkProvenance(installation, policy, deps),
    counters.reserveFirstCharges(limits),
  ]);
  const refusal = await refusalAfterChecks(installed, { admission, isRevoked, proof }).catch(
    async (error: unknown) => {
      await giveBackUnused(counters, installed, deps);
      throw error;
    },
  );
  if (refusal) {
    await giveBackUnused(counters, installed, deps);
    return refuse(installed, refusal.refusal, refusal.records, deps);
  }
  if (!admission.isAdmitted || !('code' in proof)) throw new Error('unreachable: checks passed');
  const admitted = { code: proof.code, policy, limits, lease: admission.lease, counters };
  return ran(await runAdmitted(installed, admitted, deps));
}

/**
 * A run refused before it started: its record (and the security record the refusal may stand
 * for) is appended before the answer, failing closed with `AUDIT_UNAVAILABLE` when it cannot be.
 */
async function refuse(
  request: ExecutionRequest | InstalledRequest,
  refusal: Refusal,
  records: readonly AuditRecord[],
  deps: ExecutionDependencies,
): Promise<RunOutcome> {
  await appendAudit(deps.trail, [runRecord(request, 'refused', refusal.code), ...records]);
  return refused(refusal);
}

/**
 * Revocation first, so a revoked version's artifact is never even read, then the artifact's
 * proof. Both answer from their caches when warm; failures are returned, not thrown, so the
 * caller can give back a lease taken meanwhile before it rethrows.
 */
async function checkProvenance(
  installation: Installation,
  policy: TenantPolicy,
  deps: ExecutionDependencies,
): Promise<{ isRevoked: { revoked: boolean } | { error: unknown }; proof: Proof | { error: unknown } }> {
  let revoked: boolean;
  try {
    revoked = await deps.revocations.isRevoked(installation.pluginId, installation.version);
  } catch (error) {
    return { isRevoked: { error }, proof: { error } };
  }
  if (revoked) return { isRevoked: { revoked }, proof: { error: undefined } };
  try {
    // The loader applies the tenant's trust in publisher keys too, on every run.
    return { isRevoked: { revoked }, proof: { code: await deps.artifacts.load(installation, policy) } };
  } catch (error) {
    return {
      isRevoked: { revoked },
      proof: hasErrorCode(error, 'ARTIFACT_UNVERIFIED') ? { unverified: error } : { error },
    };
  }
}

/**
 * The first refusal among the checks made together, in the order they used to be made one after
 * the other (revoked, unverified, over the cap); a store that failed rejects as before. A lease
 * taken for a run that is refused after all is given back before the answer.
 */
async function refusalAfterChecks(
  request: InstalledRequest,
  checks: {
    admission: RunAdmission;
    isRevoked: { revoked: boolean } | { error: unknown };
    proof: Proof | { error: unknown };
  },
): Promise<{ refusal: Refusal; records: readonly AuditRecord[] } | undefined> {
  const { admission, isRevoked, proof } = checks;
  const isRefused =
    !admission.isAdmitted || !('revoked' in isRevoked) || isRevoked.revoked || !('code' in proof);
  if (!isRefused) return undefined;
  if (admission.isAdmitted) await admission.release();
  if ('error' in isRevoked) throw isRevoked.error;
  if (isRevoked.revoked) {
    return {
      refusal: { code: 'PluginRevoked' },
      records: [securityRefusal(request, 'PluginRevoked', 'security:revoked-version-refused')],
    };
  }
  if ('error' in proof) throw proof.error;
  if ('unverified' in proof) {
    return {
      refusal: { code: 'ArtifactUnverified' },
      records: [
        securityRefusal(
          request,
          'ArtifactUnverified',
          'security:unverified-artifact-refused',
          proof.unverified.message,
        ),
      ],
    };
  }
  if (!admission.isAdmitted) return { refusal: admission.refusal, records: admission.records };
  return undefined;
}

/** A CPU reservation for a run that was refused after all goes back at once (best effort). */
async function giveBackUnused(
  counters: RunScopedCounters,
  request: InstalledRequest,
  deps: ExecutionDependencies,
): Promise<void> {
  const refunds = counters.takeRefunds();
  await Promise.all(
    refunds.map(({ key, amount, windowMs, at }) =>
      deps.counters
        .release(key, amount, windowMs, at)
        .catch((error: unknown) => warn(deps, 'a CPU reservation could not be given back', request, error)),
    ),
  );
}

interface Admitted {
  readonly code: string;
  readonly policy: TenantPolicy;
  readonly limits: Limits;
  readonly lease: RunLease;
  readonly counters: RunScopedCounters;
}

/** The run itself, once its provenance is proven and it holds one of the tenant's run slots. */
async function runAdmitted(
  request: InstalledRequest,
  { code, policy, limits, lease, counters }: Admitted,
  deps: ExecutionDependencies,
): Promise<RunResult> {
  const { installation } = request;
  const { tenantId, pluginId, version } = installation;
  const runStart = deps.clock.now();
  const host = createPlatformHost(
    {
      tenantId,
      pluginId,
      // The run's own time limit bounds every EHR call it makes, retries included.
      deadlineAt: runStart.getTime() + limits.timeoutMs,
      storage: deps.storage?.forPlugin(tenantId, pluginId, limits.storageBytes),
      fetch: deps.egress,
    },
    {
      ehr: deps.ehr,
      outbox: deps.trail.outbox,
      clock: deps.clock,
      ids: deps.ids,
      auditRetry: deps.trail.auditRetry,
      changes: deps.ehrChanges,
      onEventNotRecorded: (event, error) =>
        warn(deps, `data event ${event.name} ${event.id} not recorded`, request, error),
    },
  );
  const startedAt = runStart.toISOString();
  let result: RunResult;
  try {
    result = await deps.sandbox.run({
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
      counters,
    });
  } catch (error) {
    // What the sandbox reported of a run it could not finish joins nothing: its record says it failed.
    deps.observer.take(installation);
    await deps.runLeases.release(lease).catch(() => undefined);
    await giveBackUnused(counters, request, deps);
    throw error;
  }
  const settlement = { lease, refunds: counters.takeRefunds() };
  const access = { touchedPatientIds: host.touchedPatientIds(), dataAccess: host.dataAccess };
  await recordRun(request, result, { access, at: startedAt, settlement }, deps);
  return result;
}

function securityRefusal(
  request: InstalledRequest,
  code: 'PluginRevoked' | 'ArtifactUnverified',
  action: string,
  reason?: string,
): AuditRecord {
  const { tenantId, pluginId, version } = request.installation;
  return {
    action,
    outcome: 'refused',
    actor: actorIn(tenantId, request.actor),
    tenantId,
    pluginId,
    version,
    code,
    requestId: request.requestId,
    ...(reason ? { reason } : {}),
  };
}

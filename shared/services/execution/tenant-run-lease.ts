import { actorIn } from '../../domain/actors.ts';
import type { Refusal } from '../../domain/invocation.ts';
import type { AuditRecord } from '../../domain/platform-events.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { LeaseSlot, RunLease } from '../../ports/run-lease-store.ts';
import type { Limits } from '../../sandbox/limits.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';

/**
 * A lease outlives its run by this much: verification is done before it is taken, but recording
 * the run (usage, audit, events) and the local supervisor's 2 s grace come after the timeout.
 */
const LEASE_MARGIN_MS = 10_000;
/**
 * No lease lasts longer, whatever timeout a policy allows: the execution Lambda stops every
 * invocation at 15 s and the local supervisor at 20 s, so a longer lease would only keep a
 * crashed holder's slot from the tenant.
 */
export const MAX_RUN_LEASE_MS = 60_000;
const MAX_RETRY_AFTER_SECONDS = 60;

export type RunAdmission =
  | { readonly isAdmitted: true; readonly lease: RunLease; release(): Promise<void> }
  | {
      readonly isAdmitted: false;
      readonly refusal: Refusal;
      /** What the refusal adds to the run's own record (a security record when over the cap). */
      readonly records: readonly AuditRecord[];
    };

interface AdmissionRequest {
  readonly installation: { readonly tenantId: string; readonly pluginId: string; readonly version: string };
  readonly actor: string;
  readonly requestId: string;
}

/**
 * Takes one of the tenant's concurrent-run slots (policy `maxConcurrentRuns`) for this run, so one
 * tenant's hanging or spinning runs cannot take the execution capacity every tenant shares. Beyond
 * the cap the run is refused with `TenantConcurrencyExceeded` and a security record for the
 * caller to append with the run's, with a Retry-After hint; a lease store that cannot be reached refuses the run too (fail closed), since
 * skipping the check would reopen the attack exactly when the platform is under stress.
 */
export async function admitRun(
  request: AdmissionRequest,
  policy: Pick<TenantPolicy, 'maxConcurrentRuns'>,
  limits: Pick<Limits, 'timeoutMs'>,
  deps: Pick<ExecutionDependencies, 'runLeases' | 'logger'>,
  /** The tenant's slot items, when they were just read with the rest of the run's context. */
  seen?: readonly LeaseSlot[],
): Promise<RunAdmission> {
  const { tenantId, pluginId, version } = request.installation;
  const base = {
    actor: actorIn(tenantId, request.actor),
    tenantId,
    pluginId,
    version,
    requestId: request.requestId,
  };
  let claim: Awaited<ReturnType<ExecutionDependencies['runLeases']['acquire']>>;
  try {
    claim = await deps.runLeases.acquire(
      {
        tenantId,
        capacity: policy.maxConcurrentRuns,
        leaseMs: Math.min(limits.timeoutMs + LEASE_MARGIN_MS, MAX_RUN_LEASE_MS),
        expectedRunMs: limits.timeoutMs,
        holder: request.requestId,
      },
      seen,
    );
  } catch (error) {
    deps.logger?.warn('the run lease store could not be reached; the run is refused', {
      ...base,
      errorName: nameOf(error),
    });
    return { isAdmitted: false, refusal: { code: 'RunLeaseUnavailable', retryAfterSeconds: 1 }, records: [] };
  }

  if (claim.status === 'full') {
    const retryAfterSeconds = Math.min(
      MAX_RETRY_AFTER_SECONDS,
      Math.max(1, Math.ceil(claim.retryAfterMs / 1000)),
    );
    return {
      isAdmitted: false,
      refusal: { code: 'TenantConcurrencyExceeded', retryAfterSeconds },
      records: [
        {
          ...base,
          action: 'security:tenant-concurrency-exceeded',
          outcome: 'refused',
          code: 'TenantConcurrencyExceeded',
          reason: `${claim.held} of ${policy.maxConcurrentRuns} concurrent runs in flight`,
        },
      ],
    };
  }

  const { lease } = claim;
  return {
    isAdmitted: true,
    lease,
    release: async () => {
      try {
        await deps.runLeases.release(lease);
      } catch (error) {
        // The run's answer stands; the slot comes back when its lease expires.
        deps.logger?.warn('a run lease could not be released; it will expire', {
          ...base,
          errorName: nameOf(error),
        });
      }
    },
  };
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

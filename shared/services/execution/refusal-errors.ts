import { auditUnavailable, executionUnavailable, tooManyRuns } from '../../domain/errors/capacity-errors.ts';
import type { DomainError } from '../../domain/errors/domain-error.ts';
import {
  pluginNotEnabled,
  pluginNotInstalled,
  revokedVersionCannotRun,
} from '../../domain/errors/lifecycle-errors.ts';
import { artifactUnverified } from '../../domain/errors/package-errors.ts';
import type { Refusal, RefusalCode } from '../../domain/invocation.ts';

type RefusalOf<C extends RefusalCode> = Extract<Refusal, { code: C }>;

/**
 * The lifecycle error for each way the execution path refuses to start a run. A mapped type over
 * the refusal union, so a new refusal does not compile until it says what the caller gets, and
 * each mapping sees its refusal's own typed facts.
 */
const ERROR_BY_REFUSAL: { readonly [C in RefusalCode]: (refusal: RefusalOf<C>) => DomainError } = {
  PluginNotFound: () => pluginNotInstalled(),
  // The state the execution side read, and the platform's reason (the circuit breaker's, say).
  PluginNotEnabled: ({ state, stateReason }) => pluginNotEnabled(state, stateReason),
  PluginRevoked: () => revokedVersionCannotRun(),
  ArtifactUnverified: () => artifactUnverified(),
  // The tenant's concurrent-run cap, or Lambda throttling the execution function (its reserved
  // concurrency is used up): either way nothing ran and the same request may succeed later.
  TenantConcurrencyExceeded: ({ retryAfterSeconds }) => tooManyRuns(retryAfterSeconds),
  ExecutionThrottled: ({ retryAfterSeconds }) => tooManyRuns(retryAfterSeconds),
  RunLeaseUnavailable: ({ retryAfterSeconds }) => executionUnavailable(retryAfterSeconds),
  ExecutionUnavailable: ({ retryAfterSeconds }) => executionUnavailable(retryAfterSeconds),
  // 503 with Retry-After: the run's record could not be written, so its result is not answered.
  AuditUnavailable: ({ retryAfterSeconds }) => auditUnavailable(retryAfterSeconds),
};

/** The error the caller gets when the execution side refused to run at all. */
export function errorForRefusal<R extends Refusal>(refusal: R): DomainError {
  const toError = ERROR_BY_REFUSAL[refusal.code] as (refusal: R) => DomainError;
  return toError(refusal);
}

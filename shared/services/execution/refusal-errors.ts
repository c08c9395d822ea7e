import { ConflictError, DomainError, NotFoundError, RateLimitedError } from '../../domain/errors.ts';
import type { Refusal, RefusalCode } from '../../domain/invocation.ts';
import { pluginNotEnabled } from '../../domain/lifecycle-errors.ts';

type RefusalOf<C extends RefusalCode> = Extract<Refusal, { code: C }>;

/**
 * The lifecycle error for each way the execution path refuses to start a run. A mapped type over
 * the refusal union, so a new refusal does not compile until it says what the caller gets, and
 * each mapping sees its refusal's own typed facts.
 */
const ERROR_BY_REFUSAL: { readonly [C in RefusalCode]: (refusal: RefusalOf<C>) => DomainError } = {
  PluginNotFound: () => new NotFoundError('PLUGIN_NOT_FOUND', 'No such plugin is installed in this tenant.'),
  // The state the execution side read, and the platform's reason (the circuit breaker's, say).
  PluginNotEnabled: ({ state, stateReason }) => pluginNotEnabled(state, stateReason),
  PluginRevoked: () =>
    new ConflictError('VERSION_REVOKED', 'This plugin version was revoked and cannot run.', {
      field: 'version',
    }),
  ArtifactUnverified: () =>
    new DomainError('ARTIFACT_UNVERIFIED', 'The plugin artifact failed verification and was not run.'),
  // The tenant's concurrent-run cap, or Lambda throttling the execution function (its reserved
  // concurrency is used up): either way nothing ran and the same request may succeed later.
  TenantConcurrencyExceeded: ({ retryAfterSeconds }) => tooManyRuns(retryAfterSeconds),
  ExecutionThrottled: ({ retryAfterSeconds }) => tooManyRuns(retryAfterSeconds),
  RunLeaseUnavailable: ({ retryAfterSeconds }) => executionUnavailable(retryAfterSeconds),
  ExecutionUnavailable: ({ retryAfterSeconds }) => executionUnavailable(retryAfterSeconds),
};

const executionUnavailable = (retryAfterSeconds: number) =>
  new DomainError('EXECUTION_UNAVAILABLE', 'Plugin runs cannot be admitted right now.', {
    retryAfterSeconds,
  });

const tooManyRuns = (retryAfterSeconds: number) =>
  new RateLimitedError(
    'Too many plugin runs are in flight for this tenant; retry after the time in Retry-After.',
    retryAfterSeconds,
  );

/** The error the caller gets when the execution side refused to run at all. */
export function errorForRefusal<R extends Refusal>(refusal: R): DomainError {
  const toError = ERROR_BY_REFUSAL[refusal.code] as (refusal: R) => DomainError;
  return toError(refusal);
}

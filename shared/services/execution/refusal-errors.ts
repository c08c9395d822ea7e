import { ConflictError, DomainError, NotFoundError, RateLimitedError } from '../../domain/errors.ts';
import type { InvocationResult } from '../../domain/invocation.ts';
import { pluginNotEnabled } from '../../domain/lifecycle-errors.ts';
import type { RefusalCode } from './invocation-outcome.ts';

/** The invoker's own "not now" (Lambda throttled the execution function): nothing ran either. */
type NotRunCode = RefusalCode | 'ExecutionThrottled';

/**
 * The lifecycle error for each way the execution path refuses to start a run. A mapped type over
 * every refusal code, so a new refusal does not compile until it says what the caller gets.
 */
const ERROR_BY_REFUSAL: { readonly [C in NotRunCode]: (result: InvocationResult) => DomainError } = {
  PluginNotFound: () => new NotFoundError('PLUGIN_NOT_FOUND', 'No such plugin is installed in this tenant.'),
  // A disable or revocation raced this call: the execution function saw the plugin not enabled.
  PluginNotEnabled: () => pluginNotEnabled('disabled'),
  PluginRevoked: () =>
    new ConflictError('VERSION_REVOKED', 'This plugin version was revoked and cannot run.', {
      field: 'version',
    }),
  ArtifactUnverified: () =>
    new DomainError('ARTIFACT_UNVERIFIED', 'The plugin artifact failed verification and was not run.'),
  // The tenant's concurrent-run cap, or Lambda throttling the execution function (its reserved
  // concurrency is used up): either way nothing ran and the same request may succeed later.
  TenantConcurrencyExceeded: (result) => tooManyRuns(result),
  ExecutionThrottled: (result) => tooManyRuns(result),
  RunLeaseUnavailable: (result) =>
    new DomainError('EXECUTION_UNAVAILABLE', 'Plugin runs cannot be admitted right now.', {
      retryAfterSeconds: result.retryAfterSeconds ?? 1,
    }),
};

const tooManyRuns = (result: InvocationResult) =>
  new RateLimitedError(
    'Too many plugin runs are in flight for this tenant; retry after the time in Retry-After.',
    result.retryAfterSeconds ?? 1,
  );

/**
 * When the execution function refused to run at all, the error the caller gets instead of a 200
 * with a failed run; undefined when the plugin ran (whether it succeeded or not).
 */
export function errorForUnrunInvocation(result: InvocationResult): DomainError | undefined {
  const code = result.ok ? undefined : result.error?.code;
  if (code === undefined || !Object.hasOwn(ERROR_BY_REFUSAL, code)) return undefined;
  return ERROR_BY_REFUSAL[code as NotRunCode](result);
}

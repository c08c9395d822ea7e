import { executionUnavailable, tooManyRuns } from '../../domain/errors/capacity-errors.ts';
import type { DomainError } from '../../domain/errors/domain-error.ts';
import {
  pluginNotEnabled,
  pluginNotInstalled,
  revokedVersionCannotRun,
} from '../../domain/errors/lifecycle-errors.ts';
import { artifactUnverified } from '../../domain/errors/package-errors.ts';
import type { InvocationResult } from '../../domain/invocation.ts';
import type { RefusalCode } from './invocation-outcome.ts';

/** The invoker's own "not now" (Lambda throttled the execution function): nothing ran either. */
type NotRunCode = RefusalCode | 'ExecutionThrottled';

/**
 * The lifecycle error for each way the execution path refuses to start a run. A mapped type over
 * every refusal code, so a new refusal does not compile until it says what the caller gets.
 */
const ERROR_BY_REFUSAL: { readonly [C in NotRunCode]: (result: InvocationResult) => DomainError } = {
  PluginNotFound: () => pluginNotInstalled(),
  // A disable or revocation raced this call: the execution function saw the plugin not enabled.
  PluginNotEnabled: () => pluginNotEnabled('disabled'),
  PluginRevoked: () => revokedVersionCannotRun(),
  ArtifactUnverified: () => artifactUnverified(),
  // The tenant's concurrent-run cap, or Lambda throttling the execution function (its reserved
  // concurrency is used up): either way nothing ran and the same request may succeed later.
  TenantConcurrencyExceeded: (result) => tooManyRuns(result.retryAfterSeconds),
  ExecutionThrottled: (result) => tooManyRuns(result.retryAfterSeconds),
  RunLeaseUnavailable: (result) => executionUnavailable(result.retryAfterSeconds),
};

/**
 * When the execution function refused to run at all, the error the caller gets instead of a 200
 * with a failed run; undefined when the plugin ran (whether it succeeded or not).
 */
export function errorForUnrunInvocation(result: InvocationResult): DomainError | undefined {
  const code = result.ok ? undefined : result.error?.code;
  if (code === undefined || !Object.hasOwn(ERROR_BY_REFUSAL, code)) return undefined;
  return ERROR_BY_REFUSAL[code as NotRunCode](result);
}

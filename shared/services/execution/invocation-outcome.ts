import { failedInvocation, type InvocationResult } from '../../domain/invocation.ts';

/**
 * Why the platform refused to start a run. PascalCase like the sandbox's codes, because callers
 * receive both in the same `error.code` (the lifecycle maps PluginNotEnabled to 409, PluginNotFound
 * to 404, TenantConcurrencyExceeded to 429, RunLeaseUnavailable to 503, the others to 403/422).
 */
export const REFUSAL_CODES = [
  'PluginNotFound',
  'PluginNotEnabled',
  'PluginRevoked',
  'ArtifactUnverified',
  'TenantConcurrencyExceeded',
  'RunLeaseUnavailable',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/**
 * Refusals that say "not now" rather than "never": the tenant had its cap of runs in flight, or
 * the lease store could not be reached (the run is refused, fail closed). An event delivery
 * refused so must be retried later, not marked delivered.
 */
const RETRYABLE_REFUSALS: ReadonlySet<string> = new Set<RefusalCode>([
  'TenantConcurrencyExceeded',
  'RunLeaseUnavailable',
]);

/** Codes that mean the plugin hit one of its limits (circuit breaker kind `resource`). */
export const RESOURCE_CODES: ReadonlySet<string> = new Set([
  'TimeoutExceeded',
  'MemoryLimitExceeded',
  'CpuBudgetExceeded',
  'RateLimited',
  'QuotaExceeded',
]);

const REFUSALS: ReadonlySet<string> = new Set(REFUSAL_CODES);

export const isRefusal = (code: string | undefined): boolean => code !== undefined && REFUSALS.has(code);

/** A refusal that will not change by trying again (disabled, revoked, unverified, not installed). */
export const isFinalRefusal = (code: string | undefined): boolean =>
  isRefusal(code) && !RETRYABLE_REFUSALS.has(code as string);

export function refusal(
  code: RefusalCode,
  message: string,
  options: { retryAfterSeconds?: number } = {},
): InvocationResult {
  return failedInvocation(code, message, options);
}

/** A run that ended the process it ran in (local worker or Lambda instance). */
export function crashed(code: 'SandboxCrashed' | 'MemoryLimitExceeded', message: string): InvocationResult {
  return failedInvocation(code, message);
}

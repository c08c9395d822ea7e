import type { SandboxErrorCode } from '../../sandbox/errors.ts';

/** Codes that mean the plugin hit one of its limits (circuit breaker kind `resource`). */
export const RESOURCE_CODES: ReadonlySet<SandboxErrorCode> = new Set<SandboxErrorCode>([
  'TimeoutExceeded',
  'MemoryLimitExceeded',
  'CpuBudgetExceeded',
  'RateLimited',
  'QuotaExceeded',
]);

/**
 * Codes that are the platform's fault, not the plugin's (its event could not be recorded): they
 * never count towards the circuit breaker, or an outage of ours would disable tenants' plugins.
 */
export const PLATFORM_FAULT_CODES: ReadonlySet<SandboxErrorCode> = new Set<SandboxErrorCode>(['Unavailable']);

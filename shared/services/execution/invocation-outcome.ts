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
 * Codes that are the platform's or the tenant's fault, not the plugin's (its event could not be
 * recorded, the EHR is down, the tenant has registered no EHR connection): they never count
 * towards the circuit breaker, or an outage of ours or a tenant's setup would disable plugins.
 */
export const PLATFORM_FAULT_CODES: ReadonlySet<SandboxErrorCode> = new Set<SandboxErrorCode>([
  'Unavailable',
  'NotConnected',
]);

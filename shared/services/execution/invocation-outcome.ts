import type { SandboxErrorCode } from '../../sandbox/errors.ts';

/** Codes that mean the plugin hit one of its limits (circuit breaker kind `resource`). */
export const RESOURCE_CODES: ReadonlySet<SandboxErrorCode> = new Set<SandboxErrorCode>([
  'TimeoutExceeded',
  'MemoryLimitExceeded',
  'CpuBudgetExceeded',
  'RateLimited',
  'QuotaExceeded',
]);

import { failedInvocation, type InvocationResult } from '../../domain/invocation.ts';

/**
 * Why the platform refused to start a run. PascalCase like the sandbox's codes, because callers
 * receive both in the same `error.code` (the lifecycle maps PluginNotEnabled to 409, PluginNotFound
 * to 404, the others to 403/422).
 */
export const REFUSAL_CODES = [
  'PluginNotFound',
  'PluginNotEnabled',
  'PluginRevoked',
  'ArtifactUnverified',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

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

export function refusal(code: RefusalCode, message: string): InvocationResult {
  return failedInvocation(code, message);
}

/** A run that ended the process it ran in (local worker or Lambda instance). */
export function crashed(code: 'SandboxCrashed' | 'MemoryLimitExceeded', message: string): InvocationResult {
  return failedInvocation(code, message);
}

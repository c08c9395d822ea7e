export { CRASH_MESSAGES, type CrashEvidence, type CrashKind, classifyCrash } from './classify-crash.ts';
export { API_ERROR_CODES, HostError, SANDBOX_ERROR_CODES, type SandboxErrorCode } from './errors.ts';
export type { HttpRequestInit, HttpResponse, PluginHost, PluginStorage, QuotaWrite } from './host.ts';
export { createInMemoryPluginStorage } from './in-memory-plugin-storage.ts';
export { DEFAULT_LIMITS, type LimitOverrides, type Limits, MAX_RESULT_BYTES } from './limits.ts';
export {
  type PlatformSandboxOptions,
  PluginSandbox,
  type PluginSandboxOptions,
  type RunRequest,
} from './plugin-sandbox.ts';
export type {
  EmittedEvent,
  Entry,
  JsonValue,
  LogEntry,
  ResourceExceeded,
  RunResult,
  SecurityEvent,
  Usage,
} from './schemas.ts';
export { SupervisedSandbox, type SupervisedSandboxOptions } from './supervised/supervised-sandbox.ts';
export type { InternalError } from './unsettled-charges.ts';
export { type ConsumeResult, InMemoryUsageCounters, type UsageCounters } from './usage-counters.ts';

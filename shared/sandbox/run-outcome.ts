import { type SandboxErrorCode, sandboxError } from './errors.ts';
import { type Limits, MAX_DENIED_CALLS } from './limits.ts';
import type { JsonValue, RunResult } from './schemas.ts';
import { emptyUsage, roundMs } from './usage.ts';

/** How a run ended, before usage, logs and events are attached. */
export type Outcome = { ok: true; value: JsonValue } | { ok: false; code: SandboxErrorCode; message: string };

export function timeoutOutcome(limits: Limits): Outcome {
  return {
    ok: false,
    code: 'TimeoutExceeded',
    message: `plugin exceeded its ${limits.timeoutMs} ms execution timeout`,
  };
}

export function cpuMessage(limits: Limits): string {
  return `plugin exceeded its CPU budget of ${limits.cpuMsPerMinute} ms per minute`;
}

export function deniedMessage(): string {
  return `the run was ended after ${MAX_DENIED_CALLS} calls it has no permission for`;
}

export function memoryMessage(limits: Limits): string {
  return `plugin exceeded its ${limits.memoryMb} MB memory limit`;
}

export function resultTooLarge(bytes: number): Outcome {
  return { ok: false, code: 'QuotaExceeded', message: `result exceeds 1 MiB (${bytes} bytes)` };
}

export function syntaxMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : 'syntax error';
  return (message.split('\n', 1)[0] ?? 'syntax error').replace(/\s*\[[^\]]*\]\s*$/, '');
}

/** A run that ended before it reached an isolate: no usage beyond wall time, no logs. */
export function failureResult(code: SandboxErrorCode, message: string, startedAt: number): RunResult {
  return {
    ok: false,
    error: sandboxError(code, message),
    usage: emptyUsage(roundMs(performance.now() - startedAt)),
    logs: [],
    events: [],
  };
}

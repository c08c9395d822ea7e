import type { SandboxErrorCode } from './errors.ts';

/** What a run answers when the process (or Lambda instance) running it died under it. */
export const CRASH_KINDS = [
  'SandboxCrashed',
  'MemoryLimitExceeded',
  'TimeoutExceeded',
] as const satisfies readonly SandboxErrorCode[];
export type CrashKind = (typeof CRASH_KINDS)[number];

/**
 * The one message per kind. Only the kind leaves the classifier: stderr and Lambda's error text
 * can carry request ids, runtime paths and plugin output, so none of it reaches a caller.
 */
export const CRASH_MESSAGES: Readonly<Record<CrashKind, string>> = {
  MemoryLimitExceeded: 'the plugin exhausted the memory of its execution environment',
  SandboxCrashed: 'the execution environment failed while running the plugin',
  TimeoutExceeded: 'the execution environment did not answer within its time limit',
};

export interface CrashEvidence {
  /** As Node's `exit` event reports them. */
  readonly exitCode?: number | null;
  readonly signal?: NodeJS.Signals | null;
  /** The last few KiB the process wrote to stderr. */
  readonly stderrTail?: string;
  /** The runtime's own verdict on the failure: Lambda's `errorType` and `errorMessage`. */
  readonly errorText?: string;
  /** The supervisor killed the process because a request outlived its wall-clock guard. */
  readonly timedOut?: boolean;
}

// V8 ("FATAL ERROR: ... JavaScript heap out of memory"), isolated-vm ("Catastrophic out-of-memory
// error", "... disposed during execution due to memory limit") and Lambda ("Runtime.OutOfMemory").
const OUT_OF_MEMORY = /out[ -]?of[ -]?memory|memory limit/i;
// Lambda: "Sandbox.Timedout", "Task timed out after 15.00 seconds".
const RUNTIME_TIMED_OUT = /timed ?out/i;
// isolated-vm gives up on a script that ran past its timeout and will not stop.
const ISOLATE_UNTERMINATED = /Script failed to terminate/;
// Stopped by someone else (the OS, an operator, a test), or left cleanly: whatever stderr said
// before is not the cause. V8 and isolated-vm end a process with SIGABRT (exit 134 from a shell).
const OUTSIDE_SIGNALS: ReadonlySet<string> = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP']);

/**
 * The one crash classifier of the platform, for the supervised sandbox, the local execution
 * workers and the execution Lambda's `FunctionError`. A runtime's verdict is believed as it is;
 * stderr only counts when the process died by itself, and only V8's and isolated-vm's fatal lines
 * are read from it (any log line may mention a timeout). No evidence means `SandboxCrashed`.
 */
export function classifyCrash(evidence: CrashEvidence): CrashKind {
  if (evidence.timedOut) return 'TimeoutExceeded';
  const verdict = evidence.errorText ?? '';
  if (OUT_OF_MEMORY.test(verdict)) return 'MemoryLimitExceeded';
  if (RUNTIME_TIMED_OUT.test(verdict)) return 'TimeoutExceeded';
  if (evidence.exitCode === 0 || (evidence.signal && OUTSIDE_SIGNALS.has(evidence.signal)))
    return 'SandboxCrashed';
  const stderrTail = evidence.stderrTail ?? '';
  if (OUT_OF_MEMORY.test(stderrTail)) return 'MemoryLimitExceeded';
  if (ISOLATE_UNTERMINATED.test(stderrTail)) return 'TimeoutExceeded';
  return 'SandboxCrashed';
}

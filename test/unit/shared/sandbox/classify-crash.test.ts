import { describe, expect, it } from 'vitest';
import {
  type CrashEvidence,
  type CrashKind,
  classifyCrash,
} from '../../../../shared/sandbox/classify-crash.ts';

const V8_HEAP_OUT_OF_MEMORY = `
<--- Last few GCs --->

[13892:0x1c265000]      131 ms: Mark-Compact 15.7 (31.4) -> 14.1 (31.4) MB, pooled: 0 MB, 16.95 / 0.00 ms

<--- JS stacktrace --->

FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
----- Native stack trace -----

 1: 0xe16044 node::OOMErrorHandler(char const*, v8::OOMDetails const&) [/usr/local/bin/node]
`;
const V8_INEFFECTIVE_MARK_COMPACTS =
  'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory\n';
const ISOLATE_CATASTROPHIC_OOM =
  '\ngradiant-sandbox: isolated-vm lost control of an isolate: Catastrophic out-of-memory error (run 0b6f1c52-5d0e-4c1a-9a51-2f9f6f0f8a11); aborting\n';
const ISOLATE_UNTERMINATED =
  '\ngradiant-sandbox: isolated-vm lost control of an isolate: Script failed to terminate (run 7d1e); aborting\n';
const ISOLATE_MEMORY_LIMIT =
  'Error: Isolate was disposed during execution due to memory limit\n    at /var/task/index.mjs:1:1';
const PLATFORM_LOG_LINE =
  '{"level":"ERROR","message":"plugin exceeded its 16 MB memory limit","requestId":"req-1"}\n';
const CONNECTION_TIMED_OUT = 'Error: connect ETIMEDOUT 127.0.0.1:8000\n';

const abort = { exitCode: null, signal: 'SIGABRT' } as const;
const killed = { exitCode: null, signal: 'SIGKILL' } as const;

const CASES: ReadonlyArray<readonly [string, CrashEvidence, CrashKind]> = [
  ['V8 heap out of memory, aborted', { ...abort, stderrTail: V8_HEAP_OUT_OF_MEMORY }, 'MemoryLimitExceeded'],
  [
    'V8 ineffective mark-compacts, exit 134 from a shell',
    { exitCode: 134, signal: null, stderrTail: V8_INEFFECTIVE_MARK_COMPACTS },
    'MemoryLimitExceeded',
  ],
  [
    'isolated-vm catastrophic out-of-memory',
    { ...abort, stderrTail: ISOLATE_CATASTROPHIC_OOM },
    'MemoryLimitExceeded',
  ],
  [
    'isolated-vm memory-limit disposal',
    { exitCode: 1, signal: null, stderrTail: ISOLATE_MEMORY_LIMIT },
    'MemoryLimitExceeded',
  ],
  [
    'isolated-vm script that would not terminate',
    { ...abort, stderrTail: ISOLATE_UNTERMINATED },
    'TimeoutExceeded',
  ],
  ['SIGABRT with nothing on stderr', { ...abort, stderrTail: '' }, 'SandboxCrashed'],
  [
    'exit 134 with unknown text',
    { exitCode: 134, signal: null, stderrTail: 'Segmentation fault\n' },
    'SandboxCrashed',
  ],
  [
    'SIGKILL from outside, even after memory talk on stderr',
    { ...killed, stderrTail: PLATFORM_LOG_LINE },
    'SandboxCrashed',
  ],
  [
    'a clean exit, even after memory talk on stderr',
    { exitCode: 0, signal: null, stderrTail: PLATFORM_LOG_LINE },
    'SandboxCrashed',
  ],
  [
    'a log line about a network time-out is no timeout of the run',
    { ...abort, stderrTail: CONNECTION_TIMED_OUT },
    'SandboxCrashed',
  ],
  ['SIGKILL by the wall-clock guard', { ...killed, timedOut: true }, 'TimeoutExceeded'],
  [
    'the guard wins over whatever stderr says',
    { ...killed, stderrTail: V8_HEAP_OUT_OF_MEMORY, timedOut: true },
    'TimeoutExceeded',
  ],
  [
    'Lambda Runtime.OutOfMemory',
    { errorText: 'Runtime.OutOfMemory RequestId: 4c1f Error: Runtime exited with error: signal: killed' },
    'MemoryLimitExceeded',
  ],
  [
    'Lambda task timed out',
    { errorText: 'Sandbox.Timedout RequestId: 4c1f Error: Task timed out after 15.00 seconds' },
    'TimeoutExceeded',
  ],
  [
    'Lambda runtime exit',
    { errorText: 'Runtime.ExitError RequestId: 4c1f Error: Runtime exited with error: signal: aborted' },
    'SandboxCrashed',
  ],
  ['unknown Lambda text', { errorText: 'Unhandled something at /var/task/index.mjs' }, 'SandboxCrashed'],
  ['no evidence at all', {}, 'SandboxCrashed'],
];

describe('classifyCrash', () => {
  for (const [name, evidence, expected] of CASES) {
    it(`answers ${expected} for ${name}`, () => {
      const kind = classifyCrash(evidence);

      expect(kind).toBe(expected);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { blamedRunOf, catastrophicLine } from '../../../../shared/sandbox/catastrophic-abort.ts';
import { classifyCrash } from '../../../../shared/sandbox/classify-crash.ts';

const RUN_ID = '0b6f1c52-5d0e-4c1a-9a51-2f9f6f0f8a11';

describe('the catastrophic abort line', () => {
  it('names the run, so a supervisor blames it among the runs in flight', () => {
    const tail = `earlier output\n${catastrophicLine({ message: 'Catastrophic out-of-memory error', runId: RUN_ID })}`;

    expect(blamedRunOf(tail)).toBe(RUN_ID);
  });

  it('blames no run when the isolate had none', () => {
    const tail = catastrophicLine({ message: 'Catastrophic out-of-memory error', runId: undefined });

    expect(blamedRunOf(tail)).toBeUndefined();
  });

  it("carries isolated-vm's message, so the crash classifier tells memory from a runaway script", () => {
    const memory = catastrophicLine({ message: 'Catastrophic out-of-memory error', runId: RUN_ID });
    const runaway = catastrophicLine({ message: 'Script failed to terminate', runId: RUN_ID });

    expect(classifyCrash({ exitCode: null, signal: 'SIGABRT', stderrTail: memory })).toBe(
      'MemoryLimitExceeded',
    );
    expect(classifyCrash({ exitCode: null, signal: 'SIGABRT', stderrTail: runaway })).toBe('TimeoutExceeded');
  });
});

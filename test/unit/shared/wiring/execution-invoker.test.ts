import { describe, expect, it } from 'vitest';
import { LambdaExecutionInvoker } from '../../../../shared/adapters/aws/lambda-execution-invoker.ts';
import type { ExecutionInvoker } from '../../../../shared/ports/execution-invoker.ts';
import { createExecutionInvoker } from '../../../../shared/wiring/execution-invoker.ts';

const settings = { EXECUTION_FUNCTION_NAME: 'execution-fn' };

describe('createExecutionInvoker', () => {
  it('invokes the execution Lambda when deployed', () => {
    expect(createExecutionInvoker({ ...settings, PLATFORM_MODE: 'aws' })).toBeInstanceOf(
      LambdaExecutionInvoker,
    );
  });

  it('uses the invoker the local platform injects, and has no pool of its own to fall back on', () => {
    const injected: ExecutionInvoker = { invoke: async () => Promise.reject(new Error('unused')) };

    expect(createExecutionInvoker({ ...settings, PLATFORM_MODE: 'local' }, injected)).toBe(injected);
    expect(() => createExecutionInvoker({ ...settings, PLATFORM_MODE: 'local' })).toThrow(
      /local platform injects its execution invoker/,
    );
  });
});

import type { DirectInvocation, InvocationResult } from '../domain/invocation.ts';

/**
 * Hands an invocation to the execution function and waits for its result: a synchronous Lambda
 * invoke in AWS, the supervised local execution process locally. A crashed execution resolves to
 * a failed result (`SandboxCrashed` / `MemoryLimitExceeded`), never a hung promise.
 */
export interface ExecutionInvoker {
  invoke(invocation: DirectInvocation): Promise<InvocationResult>;
}

import type { DirectInvocation, RunOutcome } from '../domain/invocation.ts';

/**
 * Hands an invocation to the execution function and waits for its outcome: a synchronous Lambda
 * invoke in AWS, the supervised local execution process locally. Both parse the function's answer
 * with the one `RunOutcomeSchema`; a crashed execution resolves to `{ kind: 'crashed' }`, never a
 * hung promise.
 */
export interface ExecutionInvoker {
  invoke(invocation: DirectInvocation): Promise<RunOutcome>;
}

import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaExecutionInvoker } from '../adapters/aws/lambda-execution-invoker.ts';
import type { ExecutionInvoker } from '../ports/execution-invoker.ts';

/**
 * Deployed, the invoke route calls the execution Lambda. Locally the execution function runs in a
 * pool of supervised worker processes that belongs to one local platform instance (its bus
 * delivers to the same pool), so the platform builds it and injects it: a module-level pool would
 * be shared by every platform in the process.
 */
export function createExecutionInvoker(
  config: { PLATFORM_MODE: 'aws' | 'local'; EXECUTION_FUNCTION_NAME: string },
  injected?: ExecutionInvoker,
): ExecutionInvoker {
  if (injected) return injected;
  if (config.PLATFORM_MODE === 'local')
    throw new Error('the local platform injects its execution invoker (its pool of execution workers)');
  return new LambdaExecutionInvoker(new LambdaClient({}), config.EXECUTION_FUNCTION_NAME);
}

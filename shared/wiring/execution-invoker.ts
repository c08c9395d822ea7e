import { LambdaClient } from '@aws-sdk/client-lambda';
import { LambdaExecutionInvoker } from '../adapters/aws/lambda-execution-invoker.ts';
import type { LocalBusTarget } from '../adapters/local/local-event-bus.ts';
import { LocalExecutionInvoker } from '../adapters/local/local-execution-invoker.ts';
import { createLocalExecutionTarget } from '../adapters/local/local-execution-target.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { ExecutionInvoker } from '../ports/execution-invoker.ts';

/**
 * Locally, the execution function runs in one pool of supervised worker processes per server
 * (`LOCAL_EXECUTION_WORKERS`, fairly shared between tenants), as one Lambda function serves both
 * the invoke route and the bus's subscription rule. Its own events (data
 * changes, plugin events) are published on whichever local bus registered first: every local bus
 * has the same targets, so any of them routes them the same way.
 */
let localInvoker: LocalExecutionInvoker | undefined;
let localBus: EventPublisher | undefined;

/** The pool size, from the lifecycle config; the first caller creates the pool. */
export interface LocalExecutionSettings {
  readonly LOCAL_EXECUTION_WORKERS: number;
}

function sharedLocalInvoker(settings: LocalExecutionSettings): LocalExecutionInvoker {
  localInvoker ??= new LocalExecutionInvoker({
    workers: settings.LOCAL_EXECUTION_WORKERS,
    events: {
      publish: async (events) => {
        if (!localBus) throw new Error('no local event bus is wired yet');
        await localBus.publish(events);
      },
    },
  });
  return localInvoker;
}

/** The bus target standing in for the EventBridge rule that invokes the execution function. */
export function localExecutionTargets(settings: LocalExecutionSettings): LocalBusTarget[] {
  return [createLocalExecutionTarget(sharedLocalInvoker(settings))];
}

/** Each local bus announces itself, so the worker's events have somewhere to go. */
export function registerLocalBus(bus: EventPublisher): void {
  localBus ??= bus;
}

export function createExecutionInvoker(
  config: LocalExecutionSettings & {
    PLATFORM_MODE: 'aws' | 'local';
    EXECUTION_FUNCTION_NAME: string;
  },
): ExecutionInvoker {
  if (config.PLATFORM_MODE === 'local') return sharedLocalInvoker(config);
  return new LambdaExecutionInvoker(new LambdaClient({}), config.EXECUTION_FUNCTION_NAME);
}

/** Stops the local workers (server shutdown); a no-op where none was started. */
export async function stopLocalExecution(): Promise<void> {
  await localInvoker?.stop();
  localInvoker = undefined;
  localBus = undefined;
}

import { fileURLToPath } from 'node:url';
import type { ExecutionConfig } from '../../functions/execution/config.ts';
import { createS3Client } from '../../shared/adapters/aws/s3-client.ts';
import type { LocalEventBus } from '../../shared/adapters/local/local-event-bus.ts';
import { LocalExecutionInvoker } from '../../shared/adapters/local/local-execution-invoker.ts';
import { createLocalExecutionTarget } from '../../shared/adapters/local/local-execution-target.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import { s3ClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createLocalEventBus } from '../../shared/wiring/platform-adapters.ts';

const EXECUTION_WORKER = fileURLToPath(new URL('./execution-worker.ts', import.meta.url));

export interface LocalExecution {
  /** The stand-in for invoking the execution Lambda: this instance's pool of worker processes. */
  readonly invoker: LocalExecutionInvoker;
  /** The stand-in for EventBridge, shared by this instance's functions as the one bus is deployed. */
  readonly bus: LocalEventBus;
  stop(): Promise<void>;
}

/**
 * One local platform instance's execution pool and event bus: the bus delivers subscribed events
 * to the pool (as the EventBridge rule targets the execution function). The workers' own events
 * (data changes, plugin events) reach the bus through the outbox's stream, as deployed. Each
 * instance has its own, so two platforms in one process share neither workers nor events.
 */
export function startLocalExecution(options: {
  config: ExecutionConfig;
  workers: number;
  /** The workers' environment: the instance's settings, parsed by the worker's own entry point. */
  workerEnvironment: NodeJS.ProcessEnv;
}): LocalExecution {
  const { config } = options;
  const invoker = new LocalExecutionInvoker({
    workers: options.workers,
    workerPath: EXECUTION_WORKER,
    env: options.workerEnvironment,
  });
  const bus = createLocalEventBus({
    s3: createS3Client(s3ClientSettings(config)),
    complianceLogBucket: config.COMPLIANCE_LOG_BUCKET,
    targets: [createLocalExecutionTarget(invoker)],
    logger: createLogger('local-event-bus', config.POWERTOOLS_LOG_LEVEL),
  });
  return { invoker, bus, stop: () => invoker.stop() };
}

import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/config/metrics-env.ts';
import { PLUGIN_SUBSCRIPTION_RULE } from '../../shared/events/event-rules.ts';
import { eventPatternOf } from '../constructs/event-patterns.ts';
import { EXECUTION_SERVICE_NAME, ExecutionFunction } from '../constructs/execution-function.ts';
import { IsolatedVmLayer } from '../constructs/isolated-vm-layer.ts';
import { alarmOn, failedInvocations } from '../constructs/operations-alarms.ts';
import { UsageDashboard } from '../constructs/usage-dashboard.ts';
import type { PlatformResources } from '../platform-resources.ts';

export interface ExecutionStackProps extends StackProps {
  readonly resources: PlatformResources;
  readonly eventBus: IEventBus;
  readonly operationsTopic: ITopic;
  /** functions/execution/handler.ts once it exists; without it the stack holds only the layer. */
  readonly executionEntry?: string | undefined;
}

/**
 * Plugin execution: the isolated-vm layer, the execution function and the rules that deliver
 * subscribed events to it (asynchronously, with retries and a dead-letter queue).
 */
export class ExecutionStack extends Stack {
  readonly isolatedVm: IsolatedVmLayer;
  readonly execution: ExecutionFunction | undefined;
  readonly usageDashboard: UsageDashboard | undefined;

  constructor(scope: Construct, id: string, props: ExecutionStackProps) {
    super(scope, id, props);
    const { resources } = props;
    this.isolatedVm = new IsolatedVmLayer(this, 'IsolatedVm');
    if (props.executionEntry === undefined) return;

    const execution = new ExecutionFunction(this, 'Execution', {
      entry: props.executionEntry,
      isolatedVm: this.isolatedVm,
      environment: resources.environmentFor({ POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE }),
      logKey: resources.logKey,
      queueKey: resources.dataKey,
      reservedConcurrentExecutions: resources.settings.executionReservedConcurrency,
    });
    resources.grant(execution.handler, {
      plugins: 'read-write',
      marketplace: 'read',
      // The outbox: a run's audit record and events commit with its usage (a TransactWriteItems
      // Put is PutItem), and a refusal's record is appended; nothing is read back.
      auditAppend: true,
      artifacts: 'read',
      signing: ['kms:GetPublicKey'],
      putEvents: true,
      // Signs the tenant's SMART client assertions with the key the ehr-connection function made.
      ehrSigningSecrets: 'read',
    });
    this.execution = execution;
    this.usageDashboard = new UsageDashboard(this, 'UsageDashboard', {
      namespace: METRICS_NAMESPACE,
      serviceName: EXECUTION_SERVICE_NAME,
    });

    const target = new LambdaFunction(execution.handler.function, {
      deadLetterQueue: execution.deadLetterQueue,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });
    // Data events and plugin-emitted events (`plugin-event:*`); the handler finds the subscribers.
    const subscriptions = new Rule(this, 'PluginSubscriptions', {
      eventBus: props.eventBus,
      description: 'Events plugins can subscribe to, delivered to the execution function',
      eventPattern: eventPatternOf(PLUGIN_SUBSCRIPTION_RULE),
      targets: [target],
    });
    alarmOn(this, 'DeadLetters', {
      metric: execution.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      description:
        'Plugin event deliveries exhausted their retries; inspect and redrive the dead-letter queue.',
      topic: props.operationsTopic,
    });
    alarmOn(this, 'SubscriptionFailures', {
      metric: failedInvocations(subscriptions.ruleName),
      threshold: 1,
      description: 'EventBridge could not invoke the execution function (throttled or denied).',
      topic: props.operationsTopic,
    });
  }
}

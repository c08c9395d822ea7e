import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { type IEventBus, Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ExecutionFunction } from '../constructs/execution-function.ts';
import { IsolatedVmLayer } from '../constructs/isolated-vm-layer.ts';
import { alarmOn, failedInvocations } from '../constructs/operations-alarms.ts';
import {
  PLATFORM_EVENT_SOURCE,
  PLUGIN_EVENT_SOURCE,
  SUBSCRIBABLE_DETAIL_TYPE_PREFIXES,
  SUBSCRIBABLE_DETAIL_TYPES,
} from '../platform-events.ts';
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

  constructor(scope: Construct, id: string, props: ExecutionStackProps) {
    super(scope, id, props);
    const { resources } = props;
    this.isolatedVm = new IsolatedVmLayer(this, 'IsolatedVm');
    if (props.executionEntry === undefined) return;

    const execution = new ExecutionFunction(this, 'Execution', {
      entry: props.executionEntry,
      isolatedVm: this.isolatedVm,
      environment: resources.environmentFor(),
      logKey: resources.logKey,
      queueKey: resources.dataKey,
    });
    resources.grant(execution.handler, {
      plugins: 'read-write',
      ehr: 'read-write',
      marketplace: 'read',
      artifacts: 'read',
      signing: ['kms:GetPublicKey'],
      putEvents: true,
    });
    this.execution = execution;

    const target = new LambdaFunction(execution.handler.function, {
      deadLetterQueue: execution.deadLetterQueue,
      retryAttempts: 4,
      maxEventAge: Duration.hours(2),
    });
    const subscribed = new Rule(this, 'SubscribedPlatformEvents', {
      eventBus: props.eventBus,
      description: 'Platform data events plugins can subscribe to',
      eventPattern: {
        source: [PLATFORM_EVENT_SOURCE],
        detailType: Match.anyOf(
          ...SUBSCRIBABLE_DETAIL_TYPE_PREFIXES.map((prefix) => Match.prefix(prefix)),
          ...SUBSCRIBABLE_DETAIL_TYPES,
        ),
      },
      targets: [target],
    });
    const pluginEvents = new Rule(this, 'PluginEvents', {
      eventBus: props.eventBus,
      description: 'Events plugins emit (namespaced by plugin id), for other plugins that subscribe',
      eventPattern: { source: [PLUGIN_EVENT_SOURCE] },
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
    for (const [id, rule] of [
      ['SubscribedEventFailures', subscribed],
      ['PluginEventFailures', pluginEvents],
    ] as const) {
      alarmOn(this, id, {
        metric: failedInvocations(rule.ruleName),
        threshold: 1,
        description: 'EventBridge could not invoke the execution function (throttled or denied).',
        topic: props.operationsTopic,
      });
    }
  }
}

import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { COMPLIANCE_LOG_RULE } from '../../shared/events/event-rules.ts';
import { AuditDelivery } from '../constructs/audit-delivery.ts';
import { ComplianceLogDelivery } from '../constructs/compliance-log-delivery.ts';
import { eventPatternOf } from '../constructs/event-patterns.ts';
import { alarmOn, failedInvocations } from '../constructs/operations-alarms.ts';
import { WebhookDelivery } from '../constructs/webhook-delivery.ts';
import type { PlatformResources } from '../platform-resources.ts';
import type { PlatformSettings } from '../settings.ts';

export interface AuditStackProps extends StackProps {
  readonly settings: PlatformSettings;
  readonly complianceLogBucket: IBucket;
  readonly auditKey: IKey;
  readonly logKey: IKey;
  /** Encrypts the operations topic; its policy lets CloudWatch alarms use it. */
  readonly dataKey: IKey;
}

/**
 * The platform's event bus and its audit trail: an archive for replay and a rule that delivers
 * every event to the Object Lock compliance log. Events carry ids only, never PHI.
 */
export class AuditStack extends Stack {
  readonly eventBus: EventBus;
  readonly complianceLog: ComplianceLogDelivery;
  /** Alarms publish here; subscribe the on-call rotation after deploying. */
  readonly operationsTopic: Topic;
  /** The outbox consumer and the digest run, once `addDelivery` has run. */
  delivery: AuditDelivery | undefined;
  /** The webhook delivery queue and function, added with the outbox consumer. */
  webhookDelivery: WebhookDelivery | undefined;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);

    this.eventBus = new EventBus(this, 'EventBus', {
      description: `Gradiant Plugins ${props.settings.stage}: platform and plugin events`,
    });
    this.eventBus.archive('Archive', {
      description: 'Replay source for re-driving subscribers after an incident',
      eventPattern: eventPatternOf(COMPLIANCE_LOG_RULE),
      retention: Duration.days(365),
    });
    this.complianceLog = new ComplianceLogDelivery(this, 'ComplianceLog', {
      eventBus: this.eventBus,
      rule: COMPLIANCE_LOG_RULE,
      bucket: props.complianceLogBucket,
      bucketKey: props.auditKey,
      logKey: props.logKey,
    });

    this.operationsTopic = new Topic(this, 'OperationsTopic', {
      displayName: `Gradiant Plugins ${props.settings.stage} operations`,
      masterKey: props.dataKey,
      enforceSSL: true,
    });
    new CfnOutput(this, 'OperationsTopicArn', { value: this.operationsTopic.topicArn });
    alarmOn(this, 'ComplianceRuleFailures', {
      metric: failedInvocations(this.complianceLog.rule.ruleName),
      threshold: 1,
      description: 'EventBridge could not hand events to the compliance-log delivery stream.',
      topic: this.operationsTopic,
    });
    alarmOn(this, 'ComplianceLogStale', {
      metric: new Metric({
        namespace: 'AWS/Firehose',
        metricName: 'DeliveryToS3.DataFreshness',
        dimensionsMap: { DeliveryStreamName: this.complianceLog.deliveryStream.ref },
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 900,
      description:
        'Compliance-log records have waited over 15 minutes to reach S3 (check errors/ and the delivery log).',
      topic: this.operationsTopic,
    });
  }

  /**
   * The outbox's delivery needs the shared resources, which need this stack's bus: so it is added
   * once they exist (infra/platform.ts).
   */
  addDelivery(
    resources: PlatformResources,
    entries: { stream: string; digest: string; webhooks: string },
  ): AuditDelivery {
    this.delivery = new AuditDelivery(this, 'Delivery', {
      resources,
      operationsTopic: this.operationsTopic,
      streamEntry: entries.stream,
      digestEntry: entries.digest,
    });
    this.webhookDelivery = new WebhookDelivery(this, 'WebhookDelivery', {
      resources,
      operationsTopic: this.operationsTopic,
      entry: entries.webhooks,
    });
    this.webhookDelivery.allowEnqueue(this.delivery.consumer, resources.dataKey);
    return this.delivery;
  }
}

import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AccountRootPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { FilterCriteria, type IEventSourceDlq, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOX_STREAM_FILTER } from '../../shared/adapters/aws/audit-table-items.ts';
import { acknowledge, acknowledgeWildcardResource } from '../compliance-packs.ts';
import type { PlatformResources } from '../platform-resources.ts';
import { deadLetterQueue, queueSendStatements } from './encrypted-queues.ts';
import { alarmOn } from './operations-alarms.ts';
import { PluginFunction } from './plugin-function.ts';

export const AUDIT_STREAM_SERVICE_NAME = 'audit-stream';
export const AUDIT_DIGEST_SERVICE_NAME = 'audit-digest';

/** The consumer's event source mapping: what the README's #10 section and the infra tests rely on. */
export const AUDIT_STREAM_MAPPING = {
  batchSize: 100,
  maxBatchingWindow: Duration.seconds(1),
  /** Bounded: a record that keeps failing goes to the dead-letter queue instead of blocking its shard. */
  retryAttempts: 10,
  /** The stream keeps records 24 h; the DLQ gets them (as pointers) before they would expire. */
  maxRecordAge: Duration.hours(12),
  /** One batch per shard at a time: a tenant's records reach the chain in commit order. */
  parallelizationFactor: 1,
} as const;

/** The on-failure destination without SqsDlq's broad grant (the consumer's policy has the narrow one). */
const queueDestination = (queue: Queue): IEventSourceDlq => ({
  bind: () => ({ destination: queue.queueArn }),
});

export interface AuditDeliveryProps {
  readonly resources: PlatformResources;
  readonly operationsTopic: ITopic;
  readonly streamEntry: string;
  readonly digestEntry: string;
}

const NO_VPC_REASON =
  'Reaches only AWS APIs (DynamoDB, S3, EventBridge, KMS) over IAM + TLS; there is no VPC resource for it to reach.';

/**
 * The outbox's delivery (issue #10): a DynamoDB Streams consumer on the audit table (filtered to
 * new outbox entries, per-record failure reporting, bisection, a dead-letter queue), and an hourly
 * digest run that signs each tenant chain's new records with a KMS key only it may sign with.
 */
export class AuditDelivery extends Construct {
  readonly consumer: PluginFunction;
  readonly digester: PluginFunction;
  readonly deadLetterQueue: Queue;
  readonly digestKey: Key;

  constructor(scope: Construct, id: string, props: AuditDeliveryProps) {
    super(scope, id);
    const { resources } = props;
    const { storage } = resources;
    const auditTable = storage.tables.audit.table;

    this.deadLetterQueue = deadLetterQueue(this, {
      key: resources.dataKey,
      topic: props.operationsTopic,
      what: 'the outbox stream consumer',
      alarmDescription:
        'Outbox entries exhausted their stream retries; their batch pointers are in the dead-letter queue: read them from the audit table and redeliver.',
    });

    this.consumer = new PluginFunction(this, 'Consumer', {
      entry: props.streamEntry,
      description:
        'Gradiant Plugins: delivers the audit outbox (bus, hash chain, patient index, access rules)',
      serviceName: AUDIT_STREAM_SERVICE_NAME,
      environment: resources.environmentFor(),
      logKey: resources.logKey,
      memorySize: 512,
      timeout: Duration.minutes(2),
      // One shard is one invocation at a time (parallelization 1); this bounds a shard split.
      reservedConcurrentExecutions: 10,
      outsideVpcReason: NO_VPC_REASON,
    });
    resources.grant(this.consumer, { audit: 'read-write', plugins: 'read-write', putEvents: true });
    this.consumer.allow(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [storage.complianceLogBucket.arnForObjects('audit-chain/*')],
      }),
      new PolicyStatement({
        actions: ['kms:GenerateDataKey'],
        resources: [storage.auditKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
      // The on-failure destination is written with the function's role (granted here, not by
      // SqsDlq, whose grant adds kms:ReEncrypt* and kms:GenerateDataKey*).
      ...queueSendStatements(this.deadLetterQueue, resources.dataKey),
    );
    this.consumer.function.addEventSource(
      new DynamoEventSource(auditTable, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        ...AUDIT_STREAM_MAPPING,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        onFailure: queueDestination(this.deadLetterQueue),
        filters: [FilterCriteria.filter(OUTBOX_STREAM_FILTER as unknown as Record<string, unknown>)],
      }),
    );
    const chainObjects = storage.complianceLogBucket.arnForObjects('audit-chain/*');
    acknowledgeWildcardResource(
      this.consumer.role.policy,
      chainObjects,
      'Chained records are written under audit-chain/<tenant>/records/<seq>.json: one prefix of the compliance bucket, put only (Object Lock keeps every version).',
    );
    acknowledge(
      this.consumer.cfnFunction,
      'HIPAA.Security-LambdaDLQ',
      'Invoked synchronously by its DynamoDB stream event source mapping, whose on-failure destination is the encrypted dead-letter queue here; Lambda async DLQs do not apply.',
    );

    this.digestKey = new Key(this, 'DigestKey', {
      // `audit verify --kms-key-id alias/gradiant-plugins/<stage>/audit-digests` checks against it.
      alias: `alias/gradiant-plugins/${resources.settings.stage}/audit-digests`,
      description: 'Gradiant Plugins: signs audit chain digests (ECDSA P-256, SHA-256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.digester = new PluginFunction(this, 'Digester', {
      entry: props.digestEntry,
      description: 'Gradiant Plugins: signs the hourly digests of the tenant audit chains',
      serviceName: AUDIT_DIGEST_SERVICE_NAME,
      environment: resources.environmentFor({ AUDIT_DIGEST_KEY_ID: this.digestKey.keyArn }),
      logKey: resources.logKey,
      memorySize: 512,
      timeout: Duration.minutes(10),
      reservedConcurrentExecutions: 1,
      outsideVpcReason: NO_VPC_REASON,
    });
    resources.grant(this.digester, { audit: 'read-write' });
    this.digester.allow(
      new PolicyStatement({ actions: ['kms:Sign'], resources: [this.digestKey.keyArn] }),
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [storage.complianceLogBucket.arnForObjects('audit-chain/*')],
      }),
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [storage.complianceLogBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': 'audit-chain/*' } },
      }),
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [storage.auditKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    // Only the digest function signs: the key policy denies Sign to every other principal, so no
    // identity policy in the account can grant it. Anyone allowed may fetch the public key to verify.
    this.digestKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheDigestFunctionSigns',
        effect: Effect.DENY,
        principals: [new AccountRootPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.digester.role.roleArn } },
      }),
    );
    acknowledgeWildcardResource(
      this.digester.role.policy,
      chainObjects,
      'The digest run reads chained records and writes digests under audit-chain/ only: one prefix of the compliance bucket.',
    );
    acknowledge(
      this.digester.cfnFunction,
      'HIPAA.Security-LambdaDLQ',
      'A failed hourly run loses nothing: the next run digests every record since the last recorded digest, and failures are alarmed (DigestErrors).',
    );
    new Rule(this, 'HourlyDigest', {
      description: 'Signs the digests of the audit chains every hour',
      schedule: Schedule.rate(Duration.hours(1)),
      targets: [new LambdaFunction(this.digester.function, { retryAttempts: 2 })],
    });

    alarmOn(this, 'IteratorAge', {
      metric: this.consumer.function.metric('IteratorAge', {
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 15 * 60 * 1000,
      description:
        'Outbox delivery is more than 15 minutes behind the audit table (bus, chain, index, rules).',
      topic: props.operationsTopic,
    });
    alarmOn(this, 'DigestErrors', {
      metric: this.digester.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      description: 'An hourly audit digest run failed for at least one tenant chain.',
      topic: props.operationsTopic,
    });
  }
}

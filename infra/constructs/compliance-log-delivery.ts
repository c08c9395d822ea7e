import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, LogStream, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EventRule } from '../../shared/events/event-rules.ts';
import { acknowledgeWildcardResource } from '../compliance-packs.ts';
import { eventPatternOf } from './event-patterns.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';

export interface ComplianceLogDeliveryProps {
  readonly eventBus: IEventBus;
  /** Which events go to the log (shared with the local platform's bus). */
  readonly rule: EventRule;
  readonly bucket: IBucket;
  readonly bucketKey: IKey;
  readonly logKey: IKey;
}

/**
 * EventBridge → Firehose → S3: every platform event lands in the Object Lock bucket as GZIP'd
 * JSON lines, with no Lambda code to own, patch or get wrong. Firehose buffers and retries for
 * up to 24 h; records it cannot write go to `errors/` in the same bucket.
 *
 * The stream is the L1 resource on purpose: the L2 destination grants read/write including
 * `s3:DeleteObject*`, and the writer of a compliance log must be able to add objects only.
 */
export class ComplianceLogDelivery extends Construct {
  readonly deliveryStream: CfnDeliveryStream;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ComplianceLogDeliveryProps) {
    super(scope, id);
    const { bucket, bucketKey } = props;

    const errorLogs = new LogGroup(this, 'DeliveryErrors', {
      encryptionKey: props.logKey,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const errorStream = new LogStream(this, 'DeliveryErrorStream', { logGroup: errorLogs });

    const deliveryRole = new ManagedPolicyRole(this, 'DeliveryRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com'),
      description: 'Compliance log delivery: adds objects to the compliance-log bucket',
    });
    deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          's3:AbortMultipartUpload',
          's3:GetBucketLocation',
          's3:ListBucket',
          's3:ListBucketMultipartUploads',
        ],
        resources: [bucket.bucketArn],
      }),
    );
    deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [bucketKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      }),
    );
    deliveryRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:PutLogEvents'],
        resources: [
          `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${errorLogs.logGroupName}:log-stream:${errorStream.logStreamName}`,
        ],
      }),
    );
    acknowledgeWildcardResource(
      deliveryRole.policy,
      bucket.arnForObjects('*'),
      'Firehose writes new, date-prefixed object keys; PutObject cannot name them in advance. No delete is granted.',
    );

    const stream = new CfnDeliveryStream(this, 'Stream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: {
        keyType: 'CUSTOMER_MANAGED_CMK',
        keyArn: bucketKey.keyArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: bucket.bucketArn,
        roleArn: deliveryRole.roleArn,
        compressionFormat: 'GZIP',
        bufferingHints: { intervalInSeconds: 60, sizeInMBs: 5 },
        prefix: 'events/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/',
        errorOutputPrefix:
          'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: bucketKey.keyArn } },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: errorLogs.logGroupName,
          logStreamName: errorStream.logStreamName,
        },
      },
    });
    // Firehose checks its role when the stream is created.
    stream.node.addDependency(deliveryRole.policy);
    this.deliveryStream = stream;

    const eventsRole = new ManagedPolicyRole(this, 'EventsRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: 'Compliance log rule: puts events into the delivery stream',
    });
    eventsRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
        resources: [stream.attrArn],
      }),
    );
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.eventBus,
      description: 'Every platform event to the compliance log',
      eventPattern: eventPatternOf(props.rule),
      // A target bound by hand: CDK's Firehose targets create their own role with an inline policy.
      targets: [{ bind: () => ({ arn: stream.attrArn, role: eventsRole }) }],
    });
  }
}

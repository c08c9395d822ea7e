import { Aws, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { acknowledge } from '../compliance-packs.ts';
import { alarmOn } from './operations-alarms.ts';

/**
 * A dead-letter queue of the platform: encrypted with the data key, TLS only, 14 days, its depth
 * alarmed on the operations topic. `what` says whose dead letters it holds (the SQS3 reason).
 */
export function deadLetterQueue(
  scope: Construct,
  options: { key: IKey; topic: ITopic; what: string; alarmDescription: string },
): Queue {
  const queue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: options.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(
    queue.node.defaultChild ?? queue,
    'AwsSolutions-SQS3',
    `This queue is itself the dead-letter destination of ${options.what}; its depth is alarmed.`,
  );
  alarmOn(scope, 'DeadLetters', {
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: 'Maximum',
    }),
    threshold: 1,
    description: options.alarmDescription,
    topic: options.topic,
  });
  return queue;
}

/**
 * Sending to one queue encrypted with `key`: SendMessage on it, and the key through SQS only
 * (CDK's grantSendMessages would add kms:ReEncrypt* and kms:GenerateDataKey*).
 */
export function queueSendStatements(queue: IQueue, key: IKey): PolicyStatement[] {
  return [
    new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }),
    new PolicyStatement({
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
    }),
  ];
}

import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { COMPLIANCE_LOG_RULE } from '../../events/event-rules.ts';
import type { BusEnvelope, LocalBusTarget } from './local-event-bus.ts';

/**
 * Writes each event to the compliance-log bucket under a date-partitioned key, as the deployed
 * Firehose delivery stream does in batches. Used as the local bus's durable target.
 */
export class S3ComplianceLogTarget implements LocalBusTarget {
  readonly rule = COMPLIANCE_LOG_RULE;
  readonly isDurable = true;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async deliver(envelope: BusEnvelope): Promise<void> {
    const time = new Date(envelope.time);
    const partition = time.toISOString().slice(0, 13).replace('T', '/').replaceAll('-', '/');
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `events/${partition}/${envelope.time}-${envelope.id}.json`,
        Body: `${JSON.stringify(envelope)}\n`,
        ContentType: 'application/json',
      }),
    );
  }
}

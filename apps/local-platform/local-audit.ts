import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { AuditDigestConfig } from '../../functions/audit-digest/config.ts';
import { createAuditDigestHandler } from '../../functions/audit-digest/wiring.ts';
import type { AuditStreamConfig } from '../../functions/audit-stream/config.ts';
import { createAuditStreamHandler } from '../../functions/audit-stream/wiring.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/adapters/aws/audit-table-items.ts';
import { LocalReleaseSigner } from '../../shared/adapters/local/local-release-signer.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import type { EventPublisher } from '../../shared/ports/event-publisher.ts';
import type { WebhookDeliveryQueue } from '../../shared/ports/webhook-delivery-queue.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { type StreamPoller, startStreamPoller } from './local-stream-poller.ts';

/** How often the local platform signs digests (hourly deployed; a minute here, to see them). */
export const LOCAL_DIGEST_INTERVAL_MS = 60_000;
/** The digest key's public half, for `gradiant-plugins audit verify --public-key`. */
export const AUDIT_DIGEST_PUBLIC_KEY_FILE = 'audit-digest-public-key.pem';

export interface LocalAudit {
  readonly poller: StreamPoller;
  /** Delivers what the stream holds, then signs the digests: what a test waits for. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The audit trail's delivery on the local platform: the stream poller calling the audit-stream
 * function's handler (the local bus standing in for EventBridge), and a timer calling the
 * audit-digest function's handler, once more on shutdown.
 */
export async function startLocalAudit(options: {
  streamConfig: AuditStreamConfig;
  digestConfig: AuditDigestConfig;
  bus: EventPublisher;
  dynamodb: DynamoDBClient;
  dataDirectory: string;
  digestIntervalMs?: number;
  /** Where the consumer queues webhook deliveries (the local delivery queue). */
  webhookQueue?: WebhookDeliveryQueue;
}): Promise<LocalAudit> {
  const { streamConfig, digestConfig } = options;
  const logger = createLogger('local-audit', streamConfig.POWERTOOLS_LOG_LEVEL);
  const keyFile =
    digestConfig.LOCAL_AUDIT_DIGEST_KEY_FILE ?? join(options.dataDirectory, 'keys', 'audit-digest-key.pem');
  const publicKey = await LocalReleaseSigner.fromFile(keyFile).publicKeyPem();
  writeFileSync(join(options.dataDirectory, 'keys', AUDIT_DIGEST_PUBLIC_KEY_FILE), publicKey);

  const streams = new DynamoDBStreamsClient(dynamoDbClientSettings(streamConfig));
  const poller = startStreamPoller({
    dynamodb: options.dynamodb,
    streams,
    tableName: streamConfig.AUDIT_TABLE,
    handler: createAuditStreamHandler(streamConfig, { bus: options.bus, webhookQueue: options.webhookQueue }),
    filter: OUTBOX_STREAM_FILTER,
    checkpointFile: join(options.dataDirectory, 'audit-stream-checkpoints.json'),
    logger,
  });
  const digest = createAuditDigestHandler(digestConfig);
  const runDigest = () =>
    digest().catch((error: unknown) =>
      logger.warn('audit digests could not all be signed; the next run tries again', {
        errorName: error instanceof Error ? error.name : typeof error,
      }),
    );
  const timer = setInterval(runDigest, options.digestIntervalMs ?? LOCAL_DIGEST_INTERVAL_MS);
  timer.unref();

  return {
    poller,
    settle: async () => {
      while ((await poller.pollOnce()) > 0);
      await runDigest();
    },
    stop: async () => {
      clearInterval(timer);
      await poller.stop();
      await runDigest();
      streams.destroy();
    },
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { startStreamPoller } from '../../apps/local-platform/local-stream-poller.ts';
import type { RunningStandIn } from '../../apps/local-platform/stand-ins/dynamodb-local.ts';
import { startS3Local } from '../../apps/local-platform/stand-ins/s3-local.ts';
import { loadAuditDigestConfig } from '../../functions/audit-digest/config.ts';
import { createAuditDigestHandler } from '../../functions/audit-digest/wiring.ts';
import { loadAuditStreamConfig } from '../../functions/audit-stream/config.ts';
import { createAuditStreamHandler } from '../../functions/audit-stream/wiring.ts';
import { DynamoDbOutbox, OUTBOX_STREAM_FILTER } from '../../shared/adapters/aws/audit-table-items.ts';
import { S3AuditChainStore } from '../../shared/adapters/aws/s3-audit-chain-store.ts';
import { createS3Client } from '../../shared/adapters/aws/s3-client.ts';
import { LocalReleaseSigner } from '../../shared/adapters/local/local-release-signer.ts';
import { PemAuditDigestVerifier } from '../../shared/adapters/local/pem-audit-digest-verifier.ts';
import { createLogger } from '../../shared/observability/logger.ts';
import type { EventPublisher } from '../../shared/ports/event-publisher.ts';
import { verifyAuditChain } from '../../shared/services/audit/verify-audit-chain.ts';
import { dynamoDbClientSettings, s3ClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { createLocalEventBus } from '../../shared/wiring/platform-adapters.ts';
import { createTestTables } from './dynamodb-tables.ts';
import { InMemorySecurityMetrics } from './fakes/in-memory-security-metrics.ts';

const BUCKET = 'compliance-log';

/**
 * The outbox consumer on the stand-ins, as the local platform runs it: fresh tables in the run's
 * DynamoDB Local (the audit table with its stream), an s3rver of its own, the local bus with the
 * compliance-log target, the stream poller (driven by the test through `drain`) and the digest run.
 * `wrapBus` puts a test's wrapper (faults) between the consumer and the bus.
 */
export async function startAuditStreamStack(
  options: { wrapBus?: (bus: EventPublisher) => EventPublisher } = {},
) {
  const directory = mkdtempSync(join(tmpdir(), 'audit-stream-'));
  const s3Local: RunningStandIn = await startS3Local({ directory: join(directory, 's3'), buckets: [BUCKET] });
  const { names, documentClient } = await createTestTables();
  const env = {
    PLATFORM_MODE: 'local',
    PLUGINS_TABLE: names.plugins,
    AUDIT_TABLE: names.audit,
    COMPLIANCE_LOG_BUCKET: BUCKET,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ENDPOINT_URL_S3: s3Local.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    LOCAL_AUDIT_DIGEST_KEY_FILE: join(directory, 'keys', 'audit-digest-key.pem'),
  } as const;
  const streamConfig = loadAuditStreamConfig(env);
  const s3 = createS3Client(s3ClientSettings(streamConfig));
  const localBus = createLocalEventBus({ s3, complianceLogBucket: BUCKET });
  const bus = options.wrapBus ? options.wrapBus(localBus) : localBus;
  const dynamodb = new DynamoDBClient(dynamoDbClientSettings(streamConfig));
  const streams = new DynamoDBStreamsClient(dynamoDbClientSettings(streamConfig));
  const consumer = createAuditStreamHandler(streamConfig, { bus, metrics: new InMemorySecurityMetrics() });
  let hasFailedThisPass = false;
  const poller = startStreamPoller({
    dynamodb,
    streams,
    tableName: names.audit,
    handler: async (event) => {
      const response = await consumer(event);
      if (response.batchItemFailures.length > 0) hasFailedThisPass = true;
      return response;
    },
    filter: OUTBOX_STREAM_FILTER,
    checkpointFile: join(directory, 'checkpoints.json'),
    logger: createLogger('audit-stream-test', 'SILENT'),
    // The test drives the poller itself.
    pollIntervalMs: 3_600_000,
  });
  const digest = createAuditDigestHandler(loadAuditDigestConfig(env));
  const chainStore = new S3AuditChainStore(s3, BUCKET);
  const verifier = new PemAuditDigestVerifier(
    await LocalReleaseSigner.fromFile(env.LOCAL_AUDIT_DIGEST_KEY_FILE).publicKeyPem(),
  );

  async function keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  return {
    names,
    documentClient,
    outbox: new DynamoDbOutbox(documentClient, names.audit),
    chainStore,
    digest,
    /** Polls until a pass finds nothing new and nothing failed (`maxPasses` bounds a consumer that keeps failing). */
    async drain(maxPasses = 500): Promise<number> {
      for (let passes = 1; passes <= maxPasses; passes += 1) {
        hasFailedThisPass = false;
        const delivered = await poller.pollOnce();
        if (delivered === 0 && !hasFailedThisPass) return passes;
      }
      throw new Error(`the stream was not drained in ${maxPasses} passes`);
    },
    verify: (tenantId: string) => verifyAuditChain({ tenantId }, chainStore, verifier),
    /** The compliance log's event ids (the bus target's keys end in `-<id>.json`). */
    async complianceLogIds(): Promise<string[]> {
      // `<ISO time>-<id>.json`: the time is 24 characters.
      return (await keysUnder('events/')).map((key) =>
        (key.split('/').at(-1) ?? '').slice(25, -'.json'.length),
      );
    },
    async stop() {
      await poller.stop();
      await localBus.drain();
      streams.destroy();
      dynamodb.destroy();
      await s3Local.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

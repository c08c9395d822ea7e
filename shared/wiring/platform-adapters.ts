import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createDocumentClient } from '../adapters/aws/dynamodb-document-client.ts';
import { DynamoDbInstallationRepository } from '../adapters/aws/dynamodb-installation-repository.ts';
import { DynamoDbTenantPolicyRepository } from '../adapters/aws/dynamodb-tenant-policy-repository.ts';
import { EventBridgeEventPublisher } from '../adapters/aws/eventbridge-event-publisher.ts';
import { KmsReleaseSigner } from '../adapters/aws/kms-release-signer.ts';
import { S3ArtifactStore } from '../adapters/aws/s3-artifact-store.ts';
import { createS3Client } from '../adapters/aws/s3-client.ts';
import { type LocalBusTarget, LocalEventBus } from '../adapters/local/local-event-bus.ts';
import { LocalReleaseSigner } from '../adapters/local/local-release-signer.ts';
import { S3ComplianceLogTarget } from '../adapters/local/s3-compliance-log-target.ts';
import type { AdaptersEnv } from '../config/adapters-env.ts';
import type { LogLevel } from '../config/logging-env.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { systemClock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import { uuidGenerator } from '../ports/id-generator.ts';
import type { ReleaseSigner } from '../ports/release-signer.ts';
import { createAuditTrail } from './audit-trail.ts';
import { dynamoDbClientSettings, s3ClientSettings } from './aws-client-settings.ts';

/**
 * The in-process stand-in for EventBridge: the compliance-log rule's target plus `targets`, and the
 * rules' dead-letter queue in the compliance-log bucket. The local platform builds one per
 * instance, with the execution function's subscription target, and gives it to every function.
 */
export function createLocalEventBus(options: {
  s3: S3Client;
  complianceLogBucket: string;
  targets?: readonly LocalBusTarget[];
  logger?: Logger;
}): LocalEventBus {
  const { s3, complianceLogBucket } = options;
  const busLogger = options.logger ?? createLogger('local-event-bus');
  return new LocalEventBus({
    targets: [new S3ComplianceLogTarget(s3, complianceLogBucket), ...(options.targets ?? [])],
    // As EventBridge's DLQ: an event no retry could deliver is kept, never dropped, and said.
    onDeadLetter: (envelope, target) => {
      // Ids only: a plugin event's name is plugin-chosen text; the stored dead letter has it.
      const ids = { eventId: envelope.id, target };
      busLogger.warn('an event could not be delivered and went to the dead letters', ids);
      void s3
        .send(
          new PutObjectCommand({
            Bucket: complianceLogBucket,
            Key: `dead-letters/${target}/${envelope.time}-${envelope.id}.json`,
            Body: JSON.stringify(envelope),
          }),
        )
        .catch((error: unknown) =>
          busLogger.error('a dead letter could not be stored', {
            ...ids,
            errorName: error instanceof Error ? error.name : typeof error,
          }),
        );
    },
  });
}

/**
 * Builds the adapters the functions share, once per cold start. The only fork between AWS and the
 * local platform is here, for the two services without a wire-compatible stand-in: the signing
 * key (KMS → a local P-256 key) and the event bus (EventBridge → the in-process bus with the same
 * rules, `events` when the local platform injects its own). DynamoDB and S3 clients are the same
 * code, pointed at the stand-ins by the config's endpoints.
 */
export function createPlatformAdapters(
  env: AdaptersEnv & { POWERTOOLS_LOG_LEVEL?: LogLevel | undefined },
  options: { events?: EventPublisher } = {},
) {
  const documentClient = createDocumentClient(dynamoDbClientSettings(env));
  const s3 = createS3Client(s3ClientSettings(env));
  const signer: ReleaseSigner =
    env.PLATFORM_MODE === 'local'
      ? LocalReleaseSigner.fromFile(env.LOCAL_SIGNING_KEY_FILE ?? '.data/keys/platform-signing-key.pem')
      : new KmsReleaseSigner(new KMSClient({}), env.SIGNING_KEY_ID ?? '');
  const events: EventPublisher =
    options.events ??
    (env.PLATFORM_MODE === 'local'
      ? createLocalEventBus({
          s3,
          complianceLogBucket: env.COMPLIANCE_LOG_BUCKET,
          logger: createLogger('local-event-bus', env.POWERTOOLS_LOG_LEVEL),
        })
      : new EventBridgeEventPublisher(new EventBridgeClient({}), env.EVENT_BUS_NAME));
  const clock = systemClock;
  const ids = uuidGenerator;
  /**
   * The transactional outbox in the audit table, for records that join no change; a change writes
   * its records through its repository, in the change's own transaction.
   */
  const auditTrail = createAuditTrail(documentClient, env.AUDIT_TABLE);
  return {
    auditTrail,
    documentClient,
    s3,
    signer,
    events,
    artifacts: new S3ArtifactStore(s3, env.ARTIFACT_BUCKET),
    installations: new DynamoDbInstallationRepository(documentClient, env.PLUGINS_TABLE, env.AUDIT_TABLE),
    policies: new DynamoDbTenantPolicyRepository(documentClient, env.PLUGINS_TABLE, env.AUDIT_TABLE),
    clock,
    ids,
  };
}

export type PlatformAdapters = ReturnType<typeof createPlatformAdapters>;

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { PutObjectCommand } from '@aws-sdk/client-s3';
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
import { LoggingAuditOutbox } from '../adapters/logging-audit-outbox.ts';
import type { AdaptersEnv } from '../config/adapters-env.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { systemClock } from '../ports/clock.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import { uuidGenerator } from '../ports/id-generator.ts';
import type { ReleaseSigner } from '../ports/release-signer.ts';
import { EventAuditLog } from '../services/event-audit-log.ts';

/**
 * Builds the adapters the functions share, once per cold start. The only fork between AWS and the
 * local platform is here, for the two services without a wire-compatible stand-in: the signing
 * key (KMS → a local P-256 key) and the event bus (EventBridge → the in-process bus with the same
 * rules). DynamoDB and S3 clients are the same code, pointed at stand-ins by endpoint variables.
 */
export function createPlatformAdapters(
  env: AdaptersEnv,
  options: { localBusTargets?: readonly LocalBusTarget[]; logger?: Logger } = {},
) {
  const documentClient = createDocumentClient();
  const s3 = createS3Client({ forcePathStyle: env.S3_FORCE_PATH_STYLE });
  const signer: ReleaseSigner =
    env.PLATFORM_MODE === 'local'
      ? LocalReleaseSigner.fromFile(env.LOCAL_SIGNING_KEY_FILE ?? '.data/keys/platform-signing-key.pem')
      : new KmsReleaseSigner(new KMSClient({}), env.SIGNING_KEY_ID ?? '');
  const busLogger = createLogger('local-event-bus');
  const events: EventPublisher =
    env.PLATFORM_MODE === 'local'
      ? new LocalEventBus({
          targets: [
            new S3ComplianceLogTarget(s3, env.COMPLIANCE_LOG_BUCKET),
            ...(options.localBusTargets ?? []),
          ],
          // As EventBridge's DLQ: an event no retry could deliver is kept, never dropped, and said.
          onDeadLetter: (envelope, target) => {
            // Ids only: a plugin event's name is plugin-chosen text; the stored dead letter has it.
            const ids = { eventId: envelope.id, target };
            busLogger.warn('an event could not be delivered and went to the dead letters', ids);
            void s3
              .send(
                new PutObjectCommand({
                  Bucket: env.COMPLIANCE_LOG_BUCKET,
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
        })
      : new EventBridgeEventPublisher(new EventBridgeClient({}), env.EVENT_BUS_NAME);
  const clock = systemClock;
  const ids = uuidGenerator;
  return {
    documentClient,
    s3,
    signer,
    events,
    auditService: new EventAuditLog({ publisher: events, clock, ids }),
    // Not durable yet: a record the log refused after its retries is logged as lost.
    auditOutbox: new LoggingAuditOutbox(options.logger ?? createLogger('audit-outbox')),
    artifacts: new S3ArtifactStore(s3, env.ARTIFACT_BUCKET),
    installations: new DynamoDbInstallationRepository(documentClient, env.PLUGINS_TABLE),
    policies: new DynamoDbTenantPolicyRepository(documentClient, env.PLUGINS_TABLE),
    clock,
    ids,
  };
}

export type PlatformAdapters = ReturnType<typeof createPlatformAdapters>;

import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDbAuditChainHeads } from '../../shared/adapters/aws/dynamodb-audit-chain-heads.ts';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-document-client.ts';
import { KmsReleaseSigner } from '../../shared/adapters/aws/kms-release-signer.ts';
import { S3AuditChainStore } from '../../shared/adapters/aws/s3-audit-chain-store.ts';
import { createS3Client } from '../../shared/adapters/aws/s3-client.ts';
import { LocalReleaseSigner } from '../../shared/adapters/local/local-release-signer.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { AuditDigestSigner } from '../../shared/ports/audit-digest-signer.ts';
import {
  type DigestDependencies,
  digestAuditChains,
} from '../../shared/services/audit/digest-audit-chains.ts';
import { dynamoDbClientSettings, s3ClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import type { AuditDigestConfig } from './config.ts';

const SERVICE_NAME = 'audit-digest';
/** The key id local digests name; the PEM verifier trusts its one key whatever the id. */
export const LOCAL_AUDIT_DIGEST_KEY_ID = 'local-audit-digest-key';

/** Builds the digest run's adapters once per cold start. */
export function wireAuditDigest(config: AuditDigestConfig): DigestDependencies {
  const client = createDocumentClient(dynamoDbClientSettings(config));
  const chain = new S3AuditChainStore(createS3Client(s3ClientSettings(config)), config.COMPLIANCE_LOG_BUCKET);
  const signer: AuditDigestSigner =
    config.PLATFORM_MODE === 'local'
      ? LocalReleaseSigner.fromFile(config.LOCAL_AUDIT_DIGEST_KEY_FILE ?? '', LOCAL_AUDIT_DIGEST_KEY_ID)
      : new KmsReleaseSigner(new KMSClient({}), config.AUDIT_DIGEST_KEY_ID ?? '');
  return {
    heads: new DynamoDbAuditChainHeads(client, config.AUDIT_TABLE),
    chainStore: chain,
    chainWriter: chain,
    signer,
  };
}

const nameOf = (error: unknown) => (error instanceof Error ? error.name : typeof error);

/** The scheduled handler: one digest per chain with new records; fails (for the alarm) when any chain failed. */
export function auditDigestHandlerOf(deps: DigestDependencies, logger: Logger) {
  return async (): Promise<{ digested: number; failed: number }> => {
    const outcomes = await digestAuditChains(deps);
    let digested = 0;
    let failed = 0;
    for (const outcome of outcomes) {
      if (outcome.outcome === 'digested') digested += 1;
      if (outcome.outcome === 'failed') {
        failed += 1;
        logger.error('a tenant audit chain could not be digested', {
          tenantId: outcome.tenantId,
          errorName: nameOf(outcome.error),
        });
      }
    }
    logger.info('audit chains digested', { chains: outcomes.length, digested, failed });
    if (failed > 0) throw new Error(`${failed} audit chain(s) could not be digested`);
    return { digested, failed };
  };
}

export function createAuditDigestHandler(config: AuditDigestConfig) {
  return auditDigestHandlerOf(
    wireAuditDigest(config),
    createLogger(SERVICE_NAME, config.POWERTOOLS_LOG_LEVEL),
  );
}

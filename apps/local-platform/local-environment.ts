import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAuditConfig } from '../../functions/audit/config.ts';
import { loadAuditDigestConfig } from '../../functions/audit-digest/config.ts';
import { loadAuditStreamConfig } from '../../functions/audit-stream/config.ts';
import { loadEhrNotificationsConfig } from '../../functions/ehr-notifications/config.ts';
import { loadEventsConfig } from '../../functions/events/config.ts';
import { loadExecutionConfig } from '../../functions/execution/config.ts';
import { loadLifecycleConfig } from '../../functions/lifecycle/config.ts';
import { loadMarketplaceConfig } from '../../functions/marketplace/config.ts';
import { loadPlatformConfig } from '../../functions/platform/config.ts';
import { loadWebhookDeliveryConfig } from '../../functions/webhook-delivery/config.ts';
import { LOCAL_BUCKET_NAMES } from './local-buckets.ts';
import type { LocalIssuer } from './local-issuer.ts';
import { LOCAL_TABLE_NAMES } from './local-tables.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const PLATFORM_VERSION = version;

/**
 * The environment the CDK stacks give each function in AWS, with local values: one instance's
 * settings, never written into the process environment. The functions' configs are parsed from it
 * with their own schemas (so local settings pass the same validation as deployed ones), and the
 * execution workers get it as their environment.
 */
export function buildLocalEnvironment(options: {
  dataDirectory: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  issuer: LocalIssuer;
  standIns: Record<string, { version: string }>;
  logLevel: string;
  executionWorkers?: string | undefined;
  ehrLoopbackOrigins?: readonly string[] | undefined;
  /** The publisher proof stand-in: `.localhost` publisher domains' well-known files. */
  publisherProofOrigin?: string | undefined;
  /** Webhook receivers on this machine (`http://127.0.0.1:4555`) deliveries may reach; none by default. */
  webhookLoopbackOrigins?: readonly string[] | undefined;
}): Record<string, string> {
  return {
    PLATFORM_MODE: 'local',
    PLATFORM_VERSION,
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: options.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    PLUGINS_TABLE: LOCAL_TABLE_NAMES.plugins,
    MARKETPLACE_TABLE: LOCAL_TABLE_NAMES.marketplace,
    AUDIT_TABLE: LOCAL_TABLE_NAMES.audit,
    ARTIFACT_BUCKET: LOCAL_BUCKET_NAMES.artifacts,
    COMPLIANCE_LOG_BUCKET: LOCAL_BUCKET_NAMES.complianceLog,
    EVENT_BUS_NAME: 'gradiant-plugins-local',
    LOCAL_SIGNING_KEY_FILE: join(options.dataDirectory, 'keys', 'platform-signing-key.pem'),
    LOCAL_CURSOR_KEY_FILE: join(options.dataDirectory, 'keys', 'cursor-key.bin'),
    LOCAL_AUDIT_DIGEST_KEY_FILE: join(options.dataDirectory, 'keys', 'audit-digest-key.pem'),
    // The tenants' EHR signing keys, standing in for their Secrets Manager secrets.
    LOCAL_EHR_KEYS_DIRECTORY: join(options.dataDirectory, 'keys', 'ehr'),
    ...(options.ehrLoopbackOrigins?.length
      ? { EHR_LOOPBACK_ORIGINS: options.ehrLoopbackOrigins.join(',') }
      : {}),
    // The key webhook secrets are sealed with, standing in for the webhook KMS key.
    LOCAL_WEBHOOK_SECRET_KEY_FILE: join(options.dataDirectory, 'keys', 'webhook-secret-key.bin'),
    ...(options.webhookLoopbackOrigins?.length
      ? { WEBHOOK_LOOPBACK_ORIGINS: options.webhookLoopbackOrigins.join(',') }
      : {}),
    ...(options.publisherProofOrigin
      ? { PUBLISHER_PROOF_LOOPBACK_ORIGIN: options.publisherProofOrigin }
      : {}),
    JWT_ISSUER: options.issuer.issuer,
    JWT_AUDIENCE: options.issuer.audience,
    JWT_JWKS: JSON.stringify(options.issuer.jwks),
    STAND_IN_VERSIONS: JSON.stringify(
      Object.fromEntries(Object.entries(options.standIns).map(([name, standIn]) => [name, standIn.version])),
    ),
    POWERTOOLS_LOG_LEVEL: options.logLevel,
    ...(options.executionWorkers === undefined ? {} : { LOCAL_EXECUTION_WORKERS: options.executionWorkers }),
  };
}

/** Each function's config, parsed from one instance's environment by that function's own loader. */
export function localFunctionConfigs(environment: Record<string, string>) {
  return {
    platform: loadPlatformConfig(environment),
    lifecycle: loadLifecycleConfig(environment),
    marketplace: loadMarketplaceConfig(environment),
    execution: loadExecutionConfig(environment),
    audit: loadAuditConfig(environment),
    auditStream: loadAuditStreamConfig(environment),
    auditDigest: loadAuditDigestConfig(environment),
    ehrNotifications: loadEhrNotificationsConfig(environment),
    events: loadEventsConfig(environment),
    webhookDelivery: loadWebhookDeliveryConfig(environment),
  };
}

import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { acknowledgeWildcardResource } from './compliance-packs.ts';
import {
  bucketStatements,
  cursorKeyStatement,
  ehrSigningSecretsArn,
  ehrSigningSecretsManageStatements,
  ehrSigningSecretsReadStatements,
  putEventsStatement,
  signingKeyStatement,
  tableAppendStatements,
  tableStatements,
  tableUpdateStatements,
  webhookSecretKeyStatement,
} from './constructs/access-statements.ts';
import type { PluginFunction } from './constructs/plugin-function.ts';
import type { PlatformSettings } from './settings.ts';
import type { StorageStack } from './stacks/storage-stack.ts';

type Mode = 'read' | 'read-write';

/** What one function may touch; anything not named is denied. */
export interface AccessGrants {
  readonly plugins?: Mode;
  readonly marketplace?: Mode;
  readonly audit?: Mode;
  /** Append to the audit table's outbox (PutItem only): a read-only function's api:request records. */
  readonly auditAppend?: boolean;
  readonly artifacts?: Mode;
  readonly signing?: readonly ('kms:Sign' | 'kms:Verify' | 'kms:GetPublicKey')[];
  readonly putEvents?: boolean;
  /** Functions that issue pagination cursors: derive the cursor key (kms:GenerateMac). */
  readonly cursorKey?: boolean;
  /**
   * The tenants' EHR signing-key secrets: `manage` creates and reads them (the ehr-connection
   * function), `read` only reads them (the execution function signs client assertions).
   */
  readonly ehrSigningSecrets?: 'manage' | 'read';
  /** UpdateItem on the plugins table only (no Put, no Delete): the webhook delivery's record. */
  readonly pluginsUpdate?: boolean;
  /** The webhook secret key: `encrypt` registers webhooks, `decrypt` signs deliveries. */
  readonly webhookSecrets?: 'encrypt' | 'decrypt';
}

/** Every tenant's EHR signing keys live under `<prefix>/ehr-signing/<tenantId>`. */
export const EHR_SIGNING_SECRET_PREFIX = 'gradiant-plugins';

/**
 * The shared resources every function is configured against: one environment contract for all
 * functions (so a new function needs no infra change to find anything) and least-privilege grants
 * per function (so knowing a name never implies access to it).
 */
export class PlatformResources {
  readonly settings: PlatformSettings;
  readonly storage: StorageStack;
  readonly eventBus: IEventBus;

  constructor(settings: PlatformSettings, storage: StorageStack, eventBus: IEventBus) {
    this.settings = settings;
    this.storage = storage;
    this.eventBus = eventBus;
  }

  get dataKey(): IKey {
    return this.storage.dataKey;
  }

  get logKey(): IKey {
    return this.storage.logKey;
  }

  /** Every variable the platform's functions read; POWERTOOLS_SERVICE_NAME is set per function. */
  environmentFor(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    const { storage, settings } = this;
    return {
      PLUGINS_TABLE: storage.tables.plugins.table.tableName,
      MARKETPLACE_TABLE: storage.tables.marketplace.table.tableName,
      AUDIT_TABLE: storage.tables.audit.table.tableName,
      ARTIFACT_BUCKET: storage.artifactBucket.bucketName,
      COMPLIANCE_LOG_BUCKET: storage.complianceLogBucket.bucketName,
      EVENT_BUS_NAME: this.eventBus.eventBusName,
      SIGNING_KEY_ID: storage.signingKey.keyArn,
      CURSOR_KEY_ID: storage.cursorKey.keyArn,
      WEBHOOK_SECRET_KEY_ID: storage.webhookSecretKey.keyArn,
      JWT_ISSUER: settings.jwtIssuer,
      JWT_AUDIENCE: settings.jwtAudience,
      JWT_JWKS_URL: settings.jwksUrl,
      PLATFORM_VERSION: settings.platformVersion,
      PLATFORM_MODE: 'aws',
      EHR_SIGNING_SECRET_PREFIX,
      EHR_SIGNING_KMS_KEY_ID: storage.dataKey.keyArn,
      ...extra,
    };
  }

  grant(target: PluginFunction, grants: AccessGrants): void {
    const { tables, artifactBucket, dataKey, signingKey } = this.storage;
    for (const id of ['plugins', 'marketplace', 'audit'] as const) {
      const mode = grants[id];
      if (mode) target.allow(...tableStatements(tables[id], mode));
    }
    if (grants.auditAppend) target.allow(...tableAppendStatements(tables.audit));
    if (grants.pluginsUpdate) target.allow(...tableUpdateStatements(tables.plugins));
    if (grants.webhookSecrets)
      target.allow(
        webhookSecretKeyStatement(
          this.storage.webhookSecretKey,
          grants.webhookSecrets === 'encrypt' ? 'kms:Encrypt' : 'kms:Decrypt',
        ),
      );
    if (grants.artifacts) {
      target.allow(...bucketStatements(artifactBucket, dataKey, grants.artifacts));
      acknowledgeWildcardResource(
        target.role.policy,
        artifactBucket.arnForObjects('*'),
        'Artifacts are stored under content-addressed keys (sha256) that cannot be listed in a policy; only object get/put on this one bucket is granted.',
      );
    }
    if (grants.signing && grants.signing.length > 0)
      target.allow(signingKeyStatement(signingKey, grants.signing));
    if (grants.putEvents) target.allow(putEventsStatement(this.eventBus.eventBusArn));
    if (grants.cursorKey) target.allow(cursorKeyStatement(this.storage.cursorKey));
    if (grants.ehrSigningSecrets) {
      const statements =
        grants.ehrSigningSecrets === 'manage'
          ? ehrSigningSecretsManageStatements(EHR_SIGNING_SECRET_PREFIX, dataKey)
          : ehrSigningSecretsReadStatements(EHR_SIGNING_SECRET_PREFIX, dataKey);
      target.allow(...statements);
      acknowledgeWildcardResource(
        target.role.policy,
        ehrSigningSecretsArn(EHR_SIGNING_SECRET_PREFIX),
        'One secret per tenant, created on first use: the tenant id is not known at deploy time, so the grant covers the tenant-tagged secrets under the EHR signing prefix only.',
      );
    }
  }
}

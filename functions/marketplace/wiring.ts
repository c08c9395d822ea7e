import { DynamoDbIdempotencyStore } from '../../shared/adapters/aws/dynamodb-idempotency-store.ts';
import { DynamoDbMarketplaceReviews } from '../../shared/adapters/aws/dynamodb-marketplace-reviews.ts';
import { DynamoDbUsageCounters } from '../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { S3CatalogueSnapshots } from '../../shared/adapters/aws/s3-catalogue-snapshots.ts';
import { S3UploadPresigner } from '../../shared/adapters/aws/s3-upload-presigner.ts';
import { DnsTxtPublisherProof } from '../../shared/adapters/egress/dns-txt-publisher-proof.ts';
import { WellKnownPublisherProof } from '../../shared/adapters/egress/well-known-publisher-proof.ts';
import { RetireBundleScanner } from '../../shared/adapters/retire-bundle-scanner.ts';
import { createTokenVerifier, type TokenVerifier } from '../../shared/auth/token-verifier.ts';
import { authOptionsFrom } from '../../shared/config/platform-env.ts';
import type { TenantId } from '../../shared/domain/identifiers.ts';
import { createHttpHandler } from '../../shared/http/http-handler.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { CatalogueSnapshots } from '../../shared/ports/catalogue-snapshots.ts';
import type { EventPublisher } from '../../shared/ports/event-publisher.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency-store.ts';
import type { MarketplaceCatalogue } from '../../shared/ports/marketplace-catalogue.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { CatalogueSearch } from '../../shared/services/marketplace/catalogue-search.ts';
import { PluginMarketplaceService } from '../../shared/services/marketplace/plugin-marketplace-service.ts';
import { AdvisoryAdministration } from '../../shared/services/scanning/advisory-administration.ts';
import { createAdvisoryDatabase } from '../../shared/wiring/advisory-database.ts';
import { createCursorCodec } from '../../shared/wiring/cursor-codec.ts';
import { createPlatformAdapters } from '../../shared/wiring/platform-adapters.ts';
import { createPlatformStores } from '../../shared/wiring/platform-stores.ts';
import { createPluginServiceFactory } from '../../shared/wiring/plugin-service-factory.ts';
import type { MarketplaceConfig } from './config.ts';
import { type MarketplaceRouteDependencies, marketplaceRoutes } from './routes.ts';

export interface MarketplaceDependenciesWired extends MarketplaceRouteDependencies {
  readonly verifier: TokenVerifier;
  readonly logger: Logger;
  /** Where each request's `api:request` record goes. */
  readonly requestAudit: AuditTrail;
  /** Replays of installs retried with an `Idempotency-Key` (the plugins table, as lifecycle's). */
  readonly idempotency: IdempotencyStore;
  readonly now: () => Date;
}

/** The catalogue and snapshots are replaced by the search benchmark, which serves both from memory. */
export interface MarketplaceOverrides {
  readonly catalogue?: MarketplaceCatalogue;
  readonly snapshots?: CatalogueSnapshots;
  /** The local platform's bus, shared by its functions as the one EventBridge bus is deployed. */
  readonly events?: EventPublisher;
}

/**
 * Builds adapters and the service once per cold start, and starts loading the search index right
 * away: in Lambda the init phase runs before the first request, so the first search finds it ready.
 */
export function wireMarketplace(
  config: MarketplaceConfig,
  options: MarketplaceOverrides = {},
): MarketplaceDependenciesWired {
  const logger = createLogger('plugin-marketplace', config.POWERTOOLS_LOG_LEVEL);
  const adapters = createPlatformAdapters(config, { events: options.events });
  const client = adapters.documentClient;
  const stores = createPlatformStores(adapters, config);
  const { publisherKeys, provenance, usage } = stores;
  const catalogue = options.catalogue ?? stores.catalogue;
  // One advisory database for the publish scan and the rescans: the refreshed copy, else the snapshot.
  const advisoryDatabase = createAdvisoryDatabase(adapters, config.ARTIFACT_BUCKET, logger);
  const pluginServices = createPluginServiceFactory(adapters, {
    ...stores,
    advisories: advisoryDatabase.database,
    catalogue,
    storageCleaner: stores.storage,
  });
  const search = new CatalogueSearch({
    catalogue,
    clock: adapters.clock,
    maxAgeMs: config.SEARCH_INDEX_MAX_AGE_SECONDS * 1000,
    syncIntervalMs: config.SEARCH_SYNC_INTERVAL_MS,
    snapshots: options.snapshots ?? new S3CatalogueSnapshots(adapters.s3, config.ARTIFACT_BUCKET),
    onRefreshError: (error) =>
      logger.warn('search index refresh failed', { errorName: (error as Error)?.name }),
  });
  search
    .warm()
    .catch((error) => logger.warn('search index warm-up failed', { errorName: (error as Error)?.name }));
  const marketplace = new PluginMarketplaceService({
    catalogue,
    publisherKeys,
    reviews: new DynamoDbMarketplaceReviews({
      client,
      tableName: config.MARKETPLACE_TABLE,
      auditTableName: config.AUDIT_TABLE,
      clock: adapters.clock,
    }),
    // The plugins table: its TTL (`expiresAt`) removes old windows, and the counters live in the
    // reviewing tenant's partition beside its other rate buckets. The marketplace table has no TTL.
    reviewCounters: new DynamoDbUsageCounters({
      client,
      tableName: config.PLUGINS_TABLE,
      clock: adapters.clock,
    }),
    artifacts: adapters.artifacts,
    uploads: new S3UploadPresigner(adapters.s3, config.ARTIFACT_BUCKET),
    signer: adapters.signer,
    provenance,
    advisories: advisoryDatabase.database,
    bundleScanner: RetireBundleScanner.shipped(),
    installations: adapters.installations,
    installerFor: ({ tenantId, actorId, requestId }) =>
      pluginServices({ tenantId: tenantId as TenantId, actorId, requestId }),
    usage,
    outbox: adapters.auditTrail.outbox,
    clock: adapters.clock,
    ids: adapters.ids,
    search,
    publisherProofs: {
      'dns-txt': new DnsTxtPublisherProof(),
      'well-known': new WellKnownPublisherProof({ loopbackOrigin: config.PUBLISHER_PROOF_LOOPBACK_ORIGIN }),
    },
  });
  const advisories = new AdvisoryAdministration({
    catalogue,
    advisoryDatabase: advisoryDatabase.database,
    advisoryStore: advisoryDatabase.store,
    shippedAdvisories: advisoryDatabase.shippedAdvisories,
    onAdvisoriesChanged: () => advisoryDatabase.database.invalidate(),
    installations: adapters.installations,
    installerFor: ({ tenantId, actorId, requestId }) =>
      pluginServices({ tenantId: tenantId as TenantId, actorId, requestId }),
    policies: adapters.policies,
    search,
    outbox: adapters.auditTrail.outbox,
    clock: adapters.clock,
    ids: adapters.ids,
  });
  return {
    verifier: createTokenVerifier(authOptionsFrom(config)),
    requestAudit: adapters.auditTrail,
    idempotency: new DynamoDbIdempotencyStore(client, config.PLUGINS_TABLE),
    now: () => adapters.clock.now(),
    logger,
    marketplace,
    advisories,
    cursors: createCursorCodec(config),
  };
}

/** The marketplace function's handler from its config: what handler.ts exports and the local platform serves. */
export const createMarketplaceHandler = (config: MarketplaceConfig, overrides?: MarketplaceOverrides) =>
  marketplaceHandlerFor(wireMarketplace(config, overrides));

export function marketplaceHandlerFor(dependencies: MarketplaceDependenciesWired) {
  return createHttpHandler({
    functionName: 'marketplace',
    logger: dependencies.logger,
    verifier: async () => dependencies.verifier,
    routes: marketplaceRoutes(dependencies),
    idempotency: { store: dependencies.idempotency, now: dependencies.now },
    requestAudit: dependencies.requestAudit,
  });
}

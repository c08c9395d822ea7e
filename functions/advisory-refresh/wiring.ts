import { HttpsOsvExport } from '../../shared/adapters/osv/https-osv-export.ts';
import type { TenantId } from '../../shared/domain/identifiers.ts';
import { createLogger, type Logger } from '../../shared/observability/logger.ts';
import type { AdvisoryDatabaseStore } from '../../shared/ports/advisory-database-store.ts';
import type { AdvisoryExport } from '../../shared/ports/advisory-export.ts';
import { refreshAdvisoryDatabase } from '../../shared/services/scanning/refresh-advisory-database.ts';
import type { RefreshingAdvisoryDatabase } from '../../shared/services/scanning/refreshing-advisory-database.ts';
import { type RescanDependencies, rescanReleases } from '../../shared/services/scanning/rescan-releases.ts';
import { ADVISORY_ACTOR } from '../../shared/services/scanning/tenant-advisory-action.ts';
import { createAdvisoryDatabase } from '../../shared/wiring/advisory-database.ts';
import { createPlatformAdapters } from '../../shared/wiring/platform-adapters.ts';
import { createPlatformStores } from '../../shared/wiring/platform-stores.ts';
import { createPluginServiceFactory } from '../../shared/wiring/plugin-service-factory.ts';
import type { AdvisoryRefreshConfig } from './config.ts';

export interface AdvisoryRefreshDependencies {
  readonly source: AdvisoryExport;
  readonly store: AdvisoryDatabaseStore;
  /** The rescan reads the database through this copy, told to reread the store after a write. */
  readonly database: Pick<RefreshingAdvisoryDatabase, 'invalidate'>;
  readonly rescan: RescanDependencies;
}

/** Builds the refresh's adapters once per cold start. */
export function wireAdvisoryRefresh(
  config: AdvisoryRefreshConfig,
  logger: Logger,
): AdvisoryRefreshDependencies {
  const adapters = createPlatformAdapters(config);
  const stores = createPlatformStores(adapters, config);
  const pluginServices = createPluginServiceFactory(adapters, { ...stores, storageCleaner: stores.storage });
  const advisories = createAdvisoryDatabase(adapters, config.ARTIFACT_BUCKET, logger);
  return {
    source: new HttpsOsvExport({
      url: config.OSV_EXPORT_URL,
      maxBytes: config.OSV_EXPORT_MAX_BYTES,
      timeoutMs: config.OSV_EXPORT_TIMEOUT_MS,
    }),
    store: advisories.store,
    database: advisories.database,
    rescan: {
      catalogue: stores.catalogue,
      advisoryDatabase: advisories.database,
      installations: adapters.installations,
      installerFor: ({ tenantId, actorId, requestId }) =>
        pluginServices({ tenantId: tenantId as TenantId, actorId, requestId }),
      policies: adapters.policies,
      // This function serves no searches: the marketplace instances read the entries' change feed.
      search: { refresh: async () => {} },
      outbox: adapters.auditTrail.outbox,
      clock: adapters.clock,
      ids: adapters.ids,
    },
  };
}

/**
 * The scheduled run: refresh the stored database from the export (written only when its version
 * changed), then rescan (a no-op for releases already scanned with that version). A failed
 * download throws, for the alarm; the stored copy stays as it was.
 */
export function advisoryRefreshHandlerOf(deps: AdvisoryRefreshDependencies, logger: Logger) {
  return async (event: { id?: string } = {}) => {
    const refreshed = await refreshAdvisoryDatabase(deps);
    if (refreshed.isChanged) deps.database.invalidate();
    const report = await rescanReleases(deps.rescan, {
      actorId: ADVISORY_ACTOR,
      requestId: typeof event.id === 'string' && event.id.length > 0 ? event.id : 'advisory-refresh',
    });
    const summary = {
      databaseVersion: refreshed.databaseVersion,
      records: refreshed.records,
      invalidRecords: refreshed.invalid,
      isChanged: refreshed.isChanged,
      releasesScanned: report.releasesScanned,
      releasesNewlyAffected: report.newlyAffected.length,
      tenantsNotified: report.tenantsNotified,
      tenantsDisabled: report.tenantsDisabled,
    };
    logger.info('advisory database refreshed', summary);
    return summary;
  };
}

export function createAdvisoryRefreshHandler(config: AdvisoryRefreshConfig) {
  const logger = createLogger('advisory-refresh', config.POWERTOOLS_LOG_LEVEL);
  return advisoryRefreshHandlerOf(wireAdvisoryRefresh(config, logger), logger);
}

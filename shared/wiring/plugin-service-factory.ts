import { OsvAdvisoryDatabase } from '../adapters/osv-advisory-database.ts';
import { RetireBundleScanner } from '../adapters/retire-bundle-scanner.ts';
import type { TenantId } from '../domain/identifiers.ts';
import type { AdvisoryDatabase } from '../ports/advisory-database.ts';
import type { PluginStorageCleaner } from '../ports/plugin-storage-cleaner.ts';
import type { ReleaseCatalogue } from '../ports/release-catalogue.ts';
import type { UsageRepository } from '../ports/usage-repository.ts';
import { PluginSecurityService } from '../services/lifecycle/plugin-security-service.ts';
import { PluginService } from '../services/lifecycle/plugin-service.ts';
import type { ProvenanceVerifier } from '../services/provenance/provenance-verifier.ts';
import type { PlatformAdapters } from './platform-adapters.ts';

export type PluginServiceFactory = (scope: {
  tenantId: TenantId;
  actorId: string;
  requestId?: string;
}) => PluginService;

/**
 * One way to build a tenant-scoped PluginService, used by the lifecycle routes, the marketplace's
 * installs and revocations, and the circuit breaker, so all of them apply the same validation.
 */
export function createPluginServiceFactory(
  adapters: PlatformAdapters,
  deps: {
    catalogue: ReleaseCatalogue;
    provenance: ProvenanceVerifier;
    usage: UsageRepository;
    storageCleaner: PluginStorageCleaner;
    /** The shipped snapshot unless the wiring has a fresher copy. */
    advisories?: AdvisoryDatabase;
  },
): PluginServiceFactory {
  const securityService = new PluginSecurityService({
    advisories: deps.advisories ?? OsvAdvisoryDatabase.shipped(),
    bundleScanner: RetireBundleScanner.shipped(),
    clock: adapters.clock,
    provenance: deps.provenance,
  });
  return ({ tenantId, actorId, requestId }) =>
    new PluginService({
      tenantId,
      actorId,
      requestId,
      auditTrail: adapters.auditTrail,
      securityService,
      metricsService: deps.usage,
      installations: adapters.installations,
      policies: adapters.policies,
      artifacts: adapters.artifacts,
      catalogue: deps.catalogue,
      storageCleaner: deps.storageCleaner,
    });
}

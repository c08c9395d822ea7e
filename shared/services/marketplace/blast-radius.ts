import { versionNotFound } from '../../domain/errors/marketplace-errors.ts';
import type { BlastRadiusReport, BlastRadiusTenant } from '../../domain/marketplace-views.ts';
import type { MarketplaceDependencies } from './marketplace-dependencies.ts';

/** Tenants that installed or ran a version, with their invocation counts and touched patient ids. */
export async function blastRadiusOf(
  pluginId: string,
  version: string,
  deps: Pick<MarketplaceDependencies, 'catalogue' | 'installations' | 'usage'>,
): Promise<BlastRadiusReport> {
  const release = await deps.catalogue.getRelease(pluginId, version);
  if (!release) throw versionNotFound();
  const [installations, usage] = await Promise.all([
    deps.installations.listByPlugin(pluginId as never),
    deps.usage.blastRadius(pluginId, version),
  ]);
  const byTenant = new Map<string, BlastRadiusTenant>();
  for (const installation of installations) {
    if (installation.version !== version) continue;
    byTenant.set(installation.tenantId, {
      tenantId: installation.tenantId,
      isInstalled: true,
      installationState: installation.state,
      invocations: 0,
      patientIds: [],
    });
  }
  for (const entry of usage) {
    const known = byTenant.get(entry.tenantId);
    byTenant.set(entry.tenantId, {
      tenantId: entry.tenantId,
      isInstalled: known?.isInstalled ?? false,
      ...(known?.installationState ? { installationState: known.installationState } : {}),
      invocations: entry.invocations,
      patientIds: [...new Set(entry.patientIds)].sort(),
    });
  }
  return {
    pluginId: release.pluginId,
    version,
    status: release.status,
    publishedAt: release.publishedAt,
    revokedAt: release.revokedAt,
    items: [...byTenant.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
  };
}

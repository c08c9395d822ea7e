import { versionNotFound, versionRevoked, versionYanked } from '../../domain/errors/marketplace-errors.ts';
import { artifactTampered, provenanceRefused } from '../../domain/errors/package-errors.ts';
import type { Installation } from '../../domain/installation.ts';
import { audited } from '../audit/audit-trail.ts';
import { provenanceRefusals } from '../provenance/provenance-refusals.ts';
import {
  actorIdOf,
  type MarketplaceActor,
  type MarketplaceDependencies,
} from './marketplace-dependencies.ts';

const artifactMissing = () => artifactTampered('The release artifact is missing from the store.', 'version');

/**
 * Installs a marketplace release into the caller's tenant through the lifecycle service. The
 * artifact and its signed statement are proven here before any tenant state changes (the store
 * may have been tampered with), and the lifecycle proves the statement again with tenant policy;
 * both go through the one provenance verifier, so the second check costs no key fetch. The
 * installation commits its own record and `plugin:installed` (the lifecycle's); this action's
 * record commits with the download it counts.
 */
export function downloadAndInstall(
  pluginId: string,
  version: string,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<Installation> {
  return audited(
    deps,
    {
      action: 'marketplace:install',
      actor: actorIdOf(actor),
      tenantId: actor.tenantId,
      pluginId,
      version,
      requestId: actor.requestId,
    },
    async (commit) => {
      const release = await deps.catalogue.getRelease(pluginId, version);
      if (!release) throw versionNotFound();
      if (release.status === 'revoked') throw versionRevoked();
      if (release.status === 'yanked') throw versionYanked();
      const statement = await deps.artifacts.getStatement(pluginId, version);
      // Before the artifact is read, as ever: a release without a statement is refused as such.
      if (!statement) throw provenanceRefused(provenanceRefusals.statementMissing());
      const bytes = await deps.artifacts.getArtifact(release.sha256);
      if (!bytes) throw artifactMissing();
      await deps.provenance.prove(
        { pluginId, version, sha256: release.sha256, bytes },
        { kind: 'release', statement },
      );
      const installer = deps.installerFor({
        tenantId: actor.tenantId,
        actorId: actor.userId,
        requestId: actor.requestId,
      });
      const installation = await installer.installPlugin({
        id: pluginId,
        version,
        code: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
        metadata: release.metadata,
        release: statement,
      });
      await deps.catalogue.incrementDownloads(
        pluginId,
        { tenantId: actor.tenantId, version, at: deps.clock.now().toISOString() },
        commit(),
      );
      // This instance's next search already shows the count (others see it through the change
      // feed). The install is committed: a failed re-read must not report it as failed, and the
      // feed applies the count here within the sync interval anyway.
      await deps.search.refresh(pluginId).catch(() => undefined);
      return installation;
    },
  );
}

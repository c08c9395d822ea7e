import { platformActor } from '../../domain/actors.ts';
import { DomainError } from '../../domain/errors/domain-error.ts';
import { versionNotFound } from '../../domain/errors/marketplace-errors.ts';
import type { RevocationOutcome, RevocationReport } from '../../domain/marketplace-views.ts';
import { audited } from '../audit/audit-trail.ts';
import {
  actorIdOf,
  type MarketplaceActor,
  type MarketplaceDependencies,
} from './marketplace-dependencies.ts';
import { refreshListing } from './refresh-listing.ts';

export const REVOCATION_ACTOR = platformActor('revocation');

/**
 * The kill switch: marks the version revoked (the execution function refuses it from then on),
 * then disables it in every tenant that has it installed, through each tenant's lifecycle so each
 * gets `plugin:disabled` with reason `revoked`. One tenant's failure does not stop the others; it
 * is reported, and running the revocation again retries it. The revocation's record commits with
 * the status change; each tenant's disable commits its own record and event.
 */
export function revokeRelease(
  pluginId: string,
  version: string,
  reason: string,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<RevocationReport> {
  return audited(
    deps,
    {
      action: 'marketplace:revoke',
      actor: actorIdOf(actor),
      pluginId,
      version,
      reason,
      requestId: actor.requestId,
    },
    async (commit) => {
      const existing = await deps.catalogue.getRelease(pluginId, version);
      if (!existing) throw versionNotFound();
      const release =
        existing.status === 'revoked'
          ? existing
          : await deps.catalogue.changeReleaseStatus(
              pluginId,
              version,
              { status: 'revoked', revokedAt: deps.clock.now().toISOString(), revokedReason: reason },
              commit(),
            );
      // Every holder, whatever its state: the lifecycle makes the platform's disable idempotent and
      // records `revoked` as the reason even where an admin had disabled it already.
      const holders = (await deps.installations.listByPlugin(pluginId as never)).filter(
        (installation) => installation.version === version,
      );
      const tenants: RevocationOutcome[] = [];
      for (const holder of holders) {
        const installer = deps.installerFor({
          tenantId: holder.tenantId,
          actorId: REVOCATION_ACTOR,
          requestId: actor.requestId,
        });
        try {
          await installer.disablePlugin(pluginId, { reason: 'revoked' });
          tenants.push({ tenantId: holder.tenantId, outcome: 'disabled' });
        } catch (error) {
          const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
          tenants.push({ tenantId: holder.tenantId, outcome: 'failed', code });
        }
      }
      await refreshListing(pluginId, deps);
      return { release, tenants };
    },
  );
}

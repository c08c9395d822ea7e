import { forbidden } from '../../domain/errors/auth-errors.ts';
import { publisherKeyNotFound } from '../../domain/errors/marketplace-errors.ts';
import type { PublisherKey } from '../../ports/publisher-key-repository.ts';
import { audited } from '../audit/audit-trail.ts';
import {
  actorIdOf,
  isPlatformAdmin,
  type MarketplaceActor,
  type MarketplaceDependencies,
  publisherIdOf,
} from './marketplace-dependencies.ts';

/**
 * A publisher revokes its own key (a platform admin any key): from then on the key signs nothing
 * new, neither a publish nor a direct install, and nobody can register it again. Releases the
 * platform signed before stay installable: their release statement does not depend on the key.
 *
 * Another publisher's key answers PUBLISHER_KEY_NOT_FOUND like an unknown id, as another tenant's
 * installs do, so key ids cannot be probed. Revoking twice keeps the first time and succeeds.
 */
export function revokePublisherKey(
  keyId: string,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<PublisherKey> {
  return audited(
    deps,
    {
      action: 'marketplace:revoke-key',
      actor: actorIdOf(actor),
      tenantId: actor.tenantId,
      requestId: actor.requestId,
      keyId,
    },
    async (commit) => {
      const isAdmin = isPlatformAdmin(actor);
      if (!isAdmin && !actor.scopes.has('marketplace:publish')) {
        throw forbidden('Revoking a key needs the scope marketplace:publish or marketplace:admin.');
      }
      const revoked = await deps.publisherKeys.revoke(
        keyId,
        {
          revokedAt: deps.clock.now().toISOString(),
          ...(isAdmin ? {} : { publisherId: publisherIdOf(actor) }),
        },
        commit(),
      );
      if (!revoked) throw publisherKeyNotFound();
      return revoked;
    },
  );
}

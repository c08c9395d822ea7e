import { forbidden } from '../../domain/errors/auth-errors.ts';
import {
  publisherDomainNotAllowed,
  publisherProofNotFound,
  publisherProofUnreachable,
} from '../../domain/errors/publisher-verification-errors.ts';
import type { PublisherProfile } from '../../domain/marketplace.ts';
import type { PublisherVerificationView } from '../../domain/marketplace-views.ts';
import type { VerifyPublisherRequest } from '../../domain/publisher-verification.ts';
import { audited } from '../audit/audit-trail.ts';
import {
  actorIdOf,
  isPlatformAdmin,
  type MarketplaceActor,
  type MarketplaceDependencies,
} from './marketplace-dependencies.ts';

const REFRESH_CONCURRENCY = 16;

const auditRecord = (action: string, publisherId: string, actor: MarketplaceActor, reason?: string) => ({
  action,
  actor: actorIdOf(actor),
  tenantId: actor.tenantId,
  publisherId,
  requestId: actor.requestId,
  ...(reason ? { reason } : {}),
});

function requireAdmin(actor: MarketplaceActor): void {
  if (!isPlatformAdmin(actor)) throw forbidden('This operation needs the scope marketplace:admin.');
}

/** A publisher verified for the first time has no profile yet: its id stands in for its name. */
const profileOf = async (publisherId: string, deps: MarketplaceDependencies): Promise<PublisherProfile> =>
  (await deps.catalogue.getPublisher(publisherId)) ?? {
    publisherId,
    displayName: publisherId,
    isVerified: false,
  };

/**
 * Copies the profile's state onto every entry of the publisher (search filters and facets on the
 * copy), then applies each change to this instance's index at once; other instances read the
 * change feed the entry writes are stamped for.
 */
async function syncEntries(
  publisherId: string,
  isVerified: boolean,
  at: Date,
  deps: MarketplaceDependencies,
): Promise<number> {
  const pluginIds = await deps.catalogue.setPublisherVerified(publisherId, isVerified, at);
  // A few reads at a time: a large publisher's entries neither queue one by one nor flood the table.
  for (let start = 0; start < pluginIds.length; start += REFRESH_CONCURRENCY)
    await Promise.all(
      pluginIds.slice(start, start + REFRESH_CONCURRENCY).map((pluginId) => deps.search.refresh(pluginId)),
    );
  return pluginIds.length;
}

/**
 * The platform checks the publisher's domain proof itself (a TXT record or a well-known file,
 * fetched through the guarded egress), then marks the publisher verified with the evidence. The
 * profile commits with the audit record; the entries follow in batches. Nothing is written when
 * the proof is missing, the domain is private or the domain did not answer.
 */
export function verifyPublisher(
  publisherId: string,
  request: VerifyPublisherRequest,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<PublisherVerificationView> {
  return audited(deps, auditRecord('marketplace:publisher-verify', publisherId, actor), async (commit) => {
    requireAdmin(actor);
    const outcome = await deps.publisherProofs[request.method].check(request.domain, publisherId);
    if (outcome === 'not-found') throw publisherProofNotFound(request.method);
    if (outcome === 'address-not-allowed') throw publisherDomainNotAllowed();
    if (outcome === 'unreachable') throw publisherProofUnreachable();
    const now = deps.clock.now();
    const { revocation: _cleared, ...current } = await profileOf(publisherId, deps);
    const profile: PublisherProfile = {
      ...current,
      isVerified: true,
      verification: {
        method: request.method,
        domain: request.domain,
        checkedAt: now.toISOString(),
        verifiedBy: actorIdOf(actor),
        ...(request.baaReference ? { baaReference: request.baaReference } : {}),
      },
    };
    await deps.catalogue.savePublisher(profile, commit());
    return { ...profile, entriesUpdated: await syncEntries(publisherId, true, now, deps) };
  });
}

/**
 * Revokes a verification: `isVerified` false at once (installs under `verified-publishers-only`
 * read the profile), the evidence kept as history beside the revocation, the entries re-stamped.
 * Revoking again is harmless: it records the newer revocation.
 */
export function revokePublisherVerification(
  publisherId: string,
  reason: string | undefined,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<PublisherVerificationView> {
  return audited(
    deps,
    auditRecord('marketplace:publisher-unverify', publisherId, actor, reason),
    async (commit) => {
      requireAdmin(actor);
      const now = deps.clock.now();
      const profile: PublisherProfile = {
        ...(await profileOf(publisherId, deps)),
        isVerified: false,
        revocation: {
          revokedAt: now.toISOString(),
          revokedBy: actorIdOf(actor),
          ...(reason ? { reason } : {}),
        },
      };
      await deps.catalogue.savePublisher(profile, commit());
      return { ...profile, entriesUpdated: await syncEntries(publisherId, false, now, deps) };
    },
  );
}

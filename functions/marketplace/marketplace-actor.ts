import type { Caller } from '../../shared/auth/caller.ts';
import type { MarketplaceActor } from '../../shared/services/marketplace/marketplace-dependencies.ts';

/** The verified caller as the marketplace use cases take it. */
export const actorOf = ({ caller, requestId }: { caller: Caller; requestId: string }): MarketplaceActor => ({
  tenantId: caller.tenantId,
  userId: caller.userId,
  scopes: caller.scopes,
  requestId,
});

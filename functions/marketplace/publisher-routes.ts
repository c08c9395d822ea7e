import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { MARKETPLACE_PUBLISHER_ROUTES } from '../../shared/http/routes/marketplace-publisher-routes.ts';
import type { PluginMarketplaceService } from '../../shared/services/marketplace/plugin-marketplace-service.ts';

import { actorOf } from './marketplace-actor.ts';

/** Publisher verification: parsed request → use case; the answer is the admin's view of the profile. */
export function marketplacePublisherRoutes(
  marketplace: PluginMarketplaceService,
): RouteHandlersFor<typeof MARKETPLACE_PUBLISHER_ROUTES> {
  return {
    'POST /v1/marketplace/publishers/{publisherId}/verification': async ({ path, body }, context) => ({
      body: await marketplace.verifyPublisher(path.publisherId, body, actorOf(context)),
    }),
    'DELETE /v1/marketplace/publishers/{publisherId}/verification': async ({ path, body }, context) => ({
      body: await marketplace.revokePublisherVerification(path.publisherId, body.reason, actorOf(context)),
    }),
  };
}

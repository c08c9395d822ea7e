import type { CursorCodec } from '../../shared/http/cursor-codec.ts';
import type { RouteContext, RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { MARKETPLACE_ADVISORY_ROUTES } from '../../shared/http/routes/marketplace-advisory-routes.ts';
import type { MARKETPLACE_PUBLISHER_ROUTES } from '../../shared/http/routes/marketplace-publisher-routes.ts';
import type { MARKETPLACE_REVIEW_ROUTES } from '../../shared/http/routes/marketplace-review-routes.ts';
import type { MARKETPLACE_ROUTES } from '../../shared/http/routes/marketplace-routes.ts';
import type { PluginMarketplaceService } from '../../shared/services/marketplace/plugin-marketplace-service.ts';
import type { AdvisoryAdministration } from '../../shared/services/scanning/advisory-administration.ts';
import { advisoryRoutes } from './advisory-routes.ts';
import { actorOf } from './marketplace-actor.ts';
import { marketplacePublisherRoutes } from './publisher-routes.ts';
import { marketplaceReviewRoutes } from './review-routes.ts';

export interface MarketplaceRouteDependencies {
  readonly marketplace: PluginMarketplaceService;
  readonly advisories: AdvisoryAdministration;
  /** Seals and opens the cursors of this function's lists (bound to tenant and list). */
  readonly cursors: CursorCodec;
}

/** Parsed request → service call → result; parsing and statuses come from the route records. */
export function marketplaceRoutes({
  marketplace,
  advisories,
  cursors,
}: MarketplaceRouteDependencies): RouteHandlersFor<
  readonly [
    ...typeof MARKETPLACE_ROUTES,
    ...typeof MARKETPLACE_REVIEW_ROUTES,
    ...typeof MARKETPLACE_PUBLISHER_ROUTES,
    ...typeof MARKETPLACE_ADVISORY_ROUTES,
  ]
> {
  /**
   * A cursor opens only for the caller's tenant and the list named here. A search position also
   * carries its query's fingerprint, checked by the search once the seal is verified, so a search
   * cursor pasted onto another query is refused as well.
   */
  const scope = (context: RouteContext, list: string) => ({ tenantId: context.caller.tenantId, list });

  return {
    ...marketplacePublisherRoutes(marketplace),
    ...advisoryRoutes(advisories),
    'GET /v1/marketplace/plugins': async ({ query: { cursor, ...parameters } }, context) => ({
      body: await cursors.page(cursor, scope(context, 'marketplace-search'), (position) =>
        marketplace.searchPlugins({ ...parameters, cursor: position }),
      ),
    }),
    'POST /v1/marketplace/plugins': async ({ body }, context) => ({
      body: await marketplace.publish(body, actorOf(context)),
    }),
    'POST /v1/marketplace/uploads': async ({ body }, context) => ({
      body: await marketplace.createUpload(body, actorOf(context)),
    }),
    'GET /v1/marketplace/plugins/{id}': async ({ path }) => ({ body: await marketplace.getPlugin(path.id) }),
    'GET /v1/marketplace/plugins/{id}/versions': async ({ path, query }) => ({
      body: await marketplace.listVersions(path.id, { includePrerelease: query.prerelease }),
    }),
    'POST /v1/marketplace/plugins/{id}/versions/{version}/install': async ({ path }, context) => ({
      body: await marketplace.downloadAndInstall(path.id, path.version, actorOf(context)),
    }),
    'POST /v1/marketplace/plugins/{id}/versions/{version}/yank': async ({ path }, context) => ({
      body: await marketplace.yankVersion(path.id, path.version, actorOf(context)),
    }),
    'POST /v1/marketplace/plugins/{id}/versions/{version}/revoke': async ({ path, body }, context) => ({
      body: await marketplace.revokeVersion(path.id, path.version, body.reason, actorOf(context)),
    }),
    'GET /v1/marketplace/plugins/{id}/versions/{version}/blast-radius': async ({ path }, context) => ({
      body: await marketplace.blastRadius(path.id, path.version, actorOf(context)),
    }),
    'POST /v1/marketplace/plugins/{id}/deprecate': async ({ path, body }, context) => ({
      body: await marketplace.deprecate(path.id, body.message, actorOf(context)),
    }),
    ...marketplaceReviewRoutes({ marketplace, cursors }),
    'GET /v1/plugins/updates': async ({ query: { limit, cursor } }, context) => ({
      body: await cursors.page(cursor, scope(context, 'plugin-updates'), (position) =>
        marketplace.checkUpdates(actorOf(context), { limit, cursor: position }),
      ),
    }),
    'POST /v1/publishers/keys': async ({ body }, context) => {
      const { key, isNew } = await marketplace.registerPublisherKey(body, actorOf(context));
      return {
        status: isNew ? 201 : 200,
        body: { keyId: key.keyId, publisherId: key.publisherId, createdAt: key.createdAt },
      };
    },
    'DELETE /v1/publishers/keys/{keyId}': async ({ path }, context) => {
      await marketplace.revokePublisherKey(path.keyId, actorOf(context));
      return {};
    },
  };
}

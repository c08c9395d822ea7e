import type { Caller } from '../../shared/auth/caller.ts';
import {
  DeprecateRequestSchema,
  PluginPathSchema,
  PublisherKeyPathSchema,
  PublishRequestSchema,
  RegisterPublisherKeyRequestSchema,
  RevokeRequestSchema,
  UploadRequestSchema,
  VersionPathSchema,
  VersionsQuerySchema,
} from '../../shared/domain/marketplace.ts';
import { ReviewInputSchema } from '../../shared/domain/review.ts';
import type { CursorCodec } from '../../shared/http/cursor-codec.ts';
import { created, type HttpRequest, noContent, ok, type RouteHandler } from '../../shared/http/http-types.ts';
import { parsePageQuery } from '../../shared/http/pagination.ts';
import { parseWith } from '../../shared/http/parse-request.ts';
import { SearchParametersSchema } from '../../shared/search/search-query.ts';
import type { MarketplaceActor } from '../../shared/services/marketplace/marketplace-dependencies.ts';
import type { PluginMarketplaceService } from '../../shared/services/marketplace/plugin-marketplace-service.ts';

export interface MarketplaceRouteDependencies {
  readonly marketplace: PluginMarketplaceService;
  /** Seals and opens the cursors of this function's lists (bound to tenant and list). */
  readonly cursors: CursorCodec;
}

const actorOf = (caller: Caller, requestId: string): MarketplaceActor => ({
  tenantId: caller.tenantId,
  userId: caller.userId,
  scopes: caller.scopes,
  requestId,
});

const pluginPath = (request: HttpRequest) => parseWith(PluginPathSchema, request.pathParameters, 'path');
const versionPath = (request: HttpRequest) => parseWith(VersionPathSchema, request.pathParameters, 'path');

/** Method + path → boundary schema → service call → response; nothing else. */
export function marketplaceRoutes({
  marketplace,
  cursors,
}: MarketplaceRouteDependencies): Record<string, RouteHandler> {
  /**
   * A cursor opens only for the caller's tenant and the list named here. A search position also
   * carries its query's fingerprint, checked by the search once the seal is verified, so a search
   * cursor pasted onto another query is refused as well.
   */
  const scope = (request: HttpRequest, list: string) => ({ tenantId: request.caller.tenantId, list });

  return {
    'GET /v1/marketplace/plugins': async (request) => {
      const { cursor, ...parameters } = parseWith(SearchParametersSchema, request.query, 'query');
      return ok(
        await cursors.page(cursor, scope(request, 'marketplace-search'), (position) =>
          marketplace.searchPlugins({ ...parameters, cursor: position }),
        ),
      );
    },
    'POST /v1/marketplace/plugins': async (request) => {
      const body = parseWith(PublishRequestSchema, request.jsonBody());
      return created(await marketplace.publish(body, actorOf(request.caller, request.requestId)));
    },
    'POST /v1/marketplace/uploads': async (request) => {
      const body = parseWith(UploadRequestSchema, request.jsonBody());
      return created(await marketplace.createUpload(body, actorOf(request.caller, request.requestId)));
    },
    'GET /v1/marketplace/plugins/{id}': async (request) =>
      ok(await marketplace.getPlugin(pluginPath(request).id)),
    'GET /v1/marketplace/plugins/{id}/versions': async (request) => {
      const { prerelease } = parseWith(VersionsQuerySchema, request.query, 'query');
      return ok(await marketplace.listVersions(pluginPath(request).id, { includePrerelease: prerelease }));
    },
    'POST /v1/marketplace/plugins/{id}/versions/{version}/install': async (request) => {
      const { id, version } = versionPath(request);
      return created(
        await marketplace.downloadAndInstall(id, version, actorOf(request.caller, request.requestId)),
      );
    },
    'POST /v1/marketplace/plugins/{id}/versions/{version}/yank': async (request) => {
      const { id, version } = versionPath(request);
      return ok(await marketplace.yankVersion(id, version, actorOf(request.caller, request.requestId)));
    },
    'POST /v1/marketplace/plugins/{id}/versions/{version}/revoke': async (request) => {
      const { id, version } = versionPath(request);
      const { reason } = parseWith(RevokeRequestSchema, request.jsonBody());
      return ok(
        await marketplace.revokeVersion(id, version, reason, actorOf(request.caller, request.requestId)),
      );
    },
    'GET /v1/marketplace/plugins/{id}/versions/{version}/blast-radius': async (request) => {
      const { id, version } = versionPath(request);
      return ok(await marketplace.blastRadius(id, version, actorOf(request.caller, request.requestId)));
    },
    'POST /v1/marketplace/plugins/{id}/deprecate': async (request) => {
      const { message } = parseWith(DeprecateRequestSchema, request.jsonBody());
      return ok(
        await marketplace.deprecate(
          pluginPath(request).id,
          message,
          actorOf(request.caller, request.requestId),
        ),
      );
    },
    'GET /v1/marketplace/plugins/{id}/reviews': async (request) => {
      const { id } = pluginPath(request);
      const { limit, cursor } = parsePageQuery(request.query);
      return ok(
        await cursors.page(cursor, scope(request, `reviews:${id}`), (position) =>
          marketplace.listReviews(id, { limit, cursor: position }),
        ),
      );
    },
    'PUT /v1/marketplace/plugins/{id}/reviews/mine': async (request) => {
      const { id } = pluginPath(request);
      const input = parseWith(ReviewInputSchema, request.jsonBody());
      const { review, isNew } = await marketplace.addReview(
        id,
        input,
        actorOf(request.caller, request.requestId),
      );
      return isNew ? created(review) : ok(review);
    },
    'DELETE /v1/marketplace/plugins/{id}/reviews/mine': async (request) => {
      await marketplace.deleteReview(pluginPath(request).id, actorOf(request.caller, request.requestId));
      return noContent();
    },
    'GET /v1/plugins/updates': async (request) => {
      const { limit, cursor } = parsePageQuery(request.query);
      return ok(
        await cursors.page(cursor, scope(request, 'plugin-updates'), (position) =>
          marketplace.checkUpdates(actorOf(request.caller, request.requestId), { limit, cursor: position }),
        ),
      );
    },
    'POST /v1/publishers/keys': async (request) => {
      const body = parseWith(RegisterPublisherKeyRequestSchema, request.jsonBody());
      const { key, isNew } = await marketplace.registerPublisherKey(
        body,
        actorOf(request.caller, request.requestId),
      );
      const view = { keyId: key.keyId, publisherId: key.publisherId, createdAt: key.createdAt };
      return isNew ? created(view) : ok(view);
    },
    'DELETE /v1/publishers/keys/{keyId}': async (request) => {
      const { keyId } = parseWith(PublisherKeyPathSchema, request.pathParameters, 'path');
      await marketplace.revokePublisherKey(keyId, actorOf(request.caller, request.requestId));
      return noContent();
    },
  };
}

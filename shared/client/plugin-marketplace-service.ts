import { MARKETPLACE_REVIEW_ROUTES } from '../http/routes/marketplace-review-routes.ts';
import { MARKETPLACE_ROUTES } from '../http/routes/marketplace-routes.ts';
import { type ClientOptions, HttpTransport } from './http-transport.ts';
import { type IdempotentCallOptions, keyHeader } from './idempotent-call.ts';
import type { ListOptions, PageIterator } from './page-iterator.ts';
import { routeOf } from './route-lookup.ts';
import { pagesOf } from './route-pages.ts';
import type { BodyOf, ItemOf, QueryOf, ResultOf } from './route-types.ts';

const ROUTES = {
  search: routeOf(MARKETPLACE_ROUTES, 'GET /v1/marketplace/plugins'),
  page: routeOf(MARKETPLACE_ROUTES, 'GET /v1/marketplace/plugins/{id}'),
  versions: routeOf(MARKETPLACE_ROUTES, 'GET /v1/marketplace/plugins/{id}/versions'),
  install: routeOf(MARKETPLACE_ROUTES, 'POST /v1/marketplace/plugins/{id}/versions/{version}/install'),
  updates: routeOf(MARKETPLACE_ROUTES, 'GET /v1/plugins/updates'),
  reviews: routeOf(MARKETPLACE_REVIEW_ROUTES, 'GET /v1/marketplace/plugins/{id}/reviews'),
  writeReview: routeOf(MARKETPLACE_REVIEW_ROUTES, 'PUT /v1/marketplace/plugins/{id}/reviews/mine'),
  deleteReview: routeOf(MARKETPLACE_REVIEW_ROUTES, 'DELETE /v1/marketplace/plugins/{id}/reviews/mine'),
  reportReview: routeOf(
    MARKETPLACE_REVIEW_ROUTES,
    'POST /v1/marketplace/plugins/{id}/reviews/{reviewId}/report',
  ),
} as const;

type SearchQuery = NonNullable<QueryOf<typeof ROUTES.search>>;
/** The seed's `searchPlugins({ query, tags, sort })`: `tags` as a list (sent comma-separated). */
export type SearchPluginsRequest = Omit<SearchQuery, 'tags' | 'cursor'> & {
  readonly tags?: readonly string[] | SearchQuery['tags'];
  readonly cursor?: string;
};
export type SearchResults = ResultOf<typeof ROUTES.search>;
export type PluginSummary = ItemOf<typeof ROUTES.search>;
export type PluginPage = ResultOf<typeof ROUTES.page>;
export type VersionSummary = ItemOf<typeof ROUTES.versions>;
export type MarketplaceInstallation = ResultOf<typeof ROUTES.install>;
export type UpdateAvailable = ItemOf<typeof ROUTES.updates>;
export type PublicReview = ItemOf<typeof ROUTES.reviews>;
export type ReviewInput = BodyOf<typeof ROUTES.writeReview>;
export type ReviewReport = BodyOf<typeof ROUTES.reportReview>;
export type ReviewReportReceipt = ResultOf<typeof ROUTES.reportReview>;

/** The Plugin Marketplace Service of the product: discovery, installs from the catalogue, reviews. */
export class PluginMarketplaceService {
  private readonly transport: HttpTransport;

  constructor(options: ClientOptions) {
    this.transport = new HttpTransport(options);
  }

  /** One page of results with facets and the total; `cursor: results.nextCursor` for the next. */
  async searchPlugins(request: SearchPluginsRequest = {}): Promise<SearchResults> {
    return (await this.transport.send(ROUTES.search, { query: request })).body;
  }

  /** Every result of a search, page after page. */
  searchAllPlugins(request: Omit<SearchPluginsRequest, 'cursor'> = {}): PageIterator<PluginSummary> {
    return pagesOf(this.transport, ROUTES.search, { query: request });
  }

  /** A plugin's page: manifest, permissions, versions, rating, publisher. */
  async getPlugin(id: string): Promise<PluginPage> {
    return (await this.transport.send(ROUTES.page, { path: { id } })).body;
  }

  /** A plugin's versions, newest first (prereleases only when asked). */
  async getVersions(id: string, options: { readonly prerelease?: boolean } = {}): Promise<VersionSummary[]> {
    const query = options.prerelease === undefined ? {} : { prerelease: String(options.prerelease) };
    return (await this.transport.send(ROUTES.versions, { path: { id }, query })).body.items;
  }

  /**
   * The seed's `downloadAndInstall(id, version)`: the platform downloads, verifies and installs the
   * release into the caller's tenant. An `Idempotency-Key` goes with it (a fresh one, or
   * `options.idempotencyKey`), so a retry after a lost answer is replayed, not installed twice.
   */
  async downloadAndInstall(
    id: string,
    version: string,
    options: IdempotentCallOptions = {},
  ): Promise<MarketplaceInstallation> {
    return (await this.transport.send(ROUTES.install, { path: { id, version }, headers: keyHeader(options) }))
      .body;
  }

  /** Newer releases (or advisories) of every plugin installed in the caller's tenant. */
  checkUpdates(): Promise<UpdateAvailable[]> {
    return pagesOf(this.transport, ROUTES.updates, {}).toArray();
  }

  listReviews(id: string, options: ListOptions = {}): PageIterator<PublicReview> {
    return pagesOf(
      this.transport,
      ROUTES.reviews,
      { path: { id }, query: { limit: options.limit } },
      options.cursor,
    );
  }

  /** Writes (or replaces) the caller's review; only a tenant that installed the plugin may. */
  async addReview(id: string, review: ReviewInput): Promise<PublicReview> {
    return (await this.transport.send(ROUTES.writeReview, { path: { id }, body: review })).body;
  }

  async deleteReview(id: string): Promise<void> {
    await this.transport.send(ROUTES.deleteReview, { path: { id } });
  }

  async reportReview(id: string, reviewId: string, report: ReviewReport): Promise<ReviewReportReceipt> {
    return (await this.transport.send(ROUTES.reportReview, { path: { id, reviewId }, body: report })).body;
  }
}

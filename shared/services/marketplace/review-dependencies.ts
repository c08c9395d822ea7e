import {
  actorIdOf,
  type MarketplaceActor,
  type MarketplaceDependencies,
} from './marketplace-dependencies.ts';

/** What the review use cases (writing and moderating) read and write. */
export type ReviewDependencies = Pick<
  MarketplaceDependencies,
  | 'catalogue'
  | 'reviews'
  | 'installations'
  | 'clock'
  | 'ids'
  | 'search'
  | 'outbox'
  | 'auditRetry'
  | 'reviewCounters'
  | 'reviewWriteLimits'
>;

/** The audit record of a review action: who, in which tenant, on which plugin (and review). */
export const reviewAuditBase = (
  action: string,
  actor: MarketplaceActor,
  pluginId: string,
  reviewId?: string,
) => ({
  action,
  actor: actorIdOf(actor),
  tenantId: actor.tenantId,
  pluginId,
  ...(reviewId === undefined ? {} : { reviewId }),
  requestId: actor.requestId,
});

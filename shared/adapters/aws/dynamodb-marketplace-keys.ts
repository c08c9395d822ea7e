/**
 * Key layout of the marketplace table:
 *   PK PLUGIN#<id>          SK ENTRY               listing + counters   (GSI1 CATALOGUE / PLUGIN#<id>)
 *   PK PLUGIN#<id>          SK VERSION#<semver>    one release (immutable but for its status)
 *   PK PLUGIN#<id>          SK REVIEW#<reviewer>   one review per reviewer
 *   PK PLUGIN#<id>          SK REVIEW_ID#<reviewId>  the review's public id → its reviewer
 *   PK PLUGIN#<id>          SK REVIEW_REPORT#<reviewId>#<reporter>  one report per reporter
 *   PK PLUGIN#<id>          SK INSTALLER#<tenant>  a tenant that installed it (outlives uninstall)
 *   PK PUBLISHER#<id>       SK PROFILE             publisher display name and verification
 *   PK PUBLISHER_KEY#<kid>  SK KEY                 a publisher signing key
 * Everything about one plugin sits in one partition, so a review and its aggregates, or a version
 * and the ownership claim, can change in one transaction.
 */
export const pluginPartition = (pluginId: string): string => `PLUGIN#${pluginId}`;
export const ENTRY_SORT_KEY = 'ENTRY';
export const VERSION_PREFIX = 'VERSION#';
export const versionSortKey = (version: string): string => `${VERSION_PREFIX}${version}`;
export const REVIEW_PREFIX = 'REVIEW#';
export const reviewSortKey = (reviewerId: string): string => `${REVIEW_PREFIX}${reviewerId}`;
// `REVIEW_ID#` and `REVIEW_REPORT#` do not begin with `REVIEW#`, so a review query never sees them.
export const reviewIdSortKey = (reviewId: string): string => `REVIEW_ID#${reviewId}`;
export const reviewReportSortKey = (reviewId: string, reporterId: string): string =>
  `REVIEW_REPORT#${reviewId}#${reporterId}`;
export const installerSortKey = (tenantId: string): string => `INSTALLER#${tenantId}`;
export const CATALOGUE_INDEX_PARTITION = 'CATALOGUE';
export const publisherPartition = (publisherId: string): string => `PUBLISHER#${publisherId}`;
export const PROFILE_SORT_KEY = 'PROFILE';
export const publisherKeyPartition = (keyId: string): string => `PUBLISHER_KEY#${keyId}`;
export const KEY_SORT_KEY = 'KEY';
export const STAR_ATTRIBUTES = ['star1', 'star2', 'star3', 'star4', 'star5'] as const;
export const starAttribute = (stars: number): string => `star${stars}`;

/** Which item of a transaction failed its condition (`ConditionalCheckFailed`), by position. */
export function failedConditions(error: unknown): boolean[] | undefined {
  if ((error as { name?: string }).name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code === 'ConditionalCheckFailed');
}

/** Another transaction held one of the items: safe to retry the whole transaction. */
export function isTransactionConflict(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === 'TransactionConflictException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return (
    reasons.some((reason) => reason.Code === 'TransactionConflict') &&
    !reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')
  );
}

/** Retries a transaction that lost to a concurrent one, with jittered exponential backoff. */
export async function retryOnTransactionConflict<T>(attempt: () => Promise<T>, maxAttempts = 12): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransactionConflict(error) || tries >= maxAttempts) throw error;
      const ceiling = Math.min(1000, 10 * 2 ** tries);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

import { rateLimited, reviewWritesUnavailable } from '../../domain/errors/capacity-errors.ts';
import { REVIEW_WRITE_LIMITS, type ReviewWriteLimits } from '../../domain/review-write-limits.ts';
import type { UsageCounters } from '../../sandbox/usage-counters.ts';
import type { MarketplaceActor } from './marketplace-dependencies.ts';

export interface ReviewWriteAdmission {
  /** Shared by every instance (DynamoDB in AWS): the limits hold across the fleet. */
  readonly reviewCounters: UsageCounters;
  readonly reviewWriteLimits?: ReviewWriteLimits | undefined;
}

/**
 * The rolling window's counters keep a few buckets per window (six in DynamoDB): the oldest leaves
 * within one bucket, so that is the soonest a refused writer may find room again.
 */
const retryAfterSeconds = (limits: ReviewWriteLimits) => Math.ceil(limits.windowMs / 6 / 1000);

/**
 * Charges one review write (put, delete, report, reply) to the user and to its tenant, or refuses
 * it with RATE_LIMITED. A counter store that cannot be read or charged refuses too
 * (REVIEW_WRITES_UNAVAILABLE): a limit that is skipped when its store is down is no limit.
 */
export async function admitReviewWrite(actor: MarketplaceActor, deps: ReviewWriteAdmission): Promise<void> {
  const limits = deps.reviewWriteLimits ?? REVIEW_WRITE_LIMITS;
  const { windowMs } = limits;
  const userKey = `${actor.tenantId}/review-writes/user/${actor.userId}`;
  const tenantKey = `${actor.tenantId}/review-writes/tenant`;
  let refusedBy: 'user' | 'tenant' | undefined;
  try {
    const user = await deps.reviewCounters.consume(userKey, 1, limits.perUser, windowMs);
    if (!user.allowed) refusedBy = 'user';
    else {
      const tenant = await deps.reviewCounters.consume(tenantKey, 1, limits.perTenant, windowMs);
      if (!tenant.allowed) {
        refusedBy = 'tenant';
        // The user's charge is given back: the write did not happen.
        if (user.at !== undefined) await deps.reviewCounters.release(userKey, 1, windowMs, user.at);
      }
    }
  } catch (error) {
    throw reviewWritesUnavailable(error);
  }
  if (refusedBy === 'user') {
    throw rateLimited(
      'Too many review writes by this user; retry after the time in Retry-After.',
      retryAfterSeconds(limits),
    );
  }
  if (refusedBy === 'tenant') {
    throw rateLimited(
      'Too many review writes by this organisation; retry after the time in Retry-After.',
      retryAfterSeconds(limits),
    );
  }
}

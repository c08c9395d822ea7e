import { DomainError } from './domain-error.ts';

/** Not now: nothing was done, and the same request may succeed after `retryAfterSeconds`. */

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', message, { retryAfterSeconds });

export const tooManyRuns = (retryAfterSeconds = 1) =>
  rateLimited(
    'Too many plugin runs are in flight for this tenant; retry after the time in Retry-After.',
    retryAfterSeconds,
  );

export const executionUnavailable = (retryAfterSeconds = 1) =>
  new DomainError('EXECUTION_UNAVAILABLE', 'Plugin runs cannot be admitted right now.', {
    retryAfterSeconds,
  });

/**
 * The audit trail could not take the record of this request: nothing is answered without its
 * record (fail closed), so the caller retries. A change that committed carried its record with it.
 */
export const auditUnavailable = (retryAfterSeconds = 1) =>
  new DomainError('AUDIT_UNAVAILABLE', 'The audit trail cannot record this right now.', {
    retryAfterSeconds,
  });

/**
 * The per-tenant notification counter could not be read or charged: fail closed, so an outage of
 * the counter store never lets a flood through; the EHR retries a 503 as rest-hook senders do.
 */
export const notificationsUnavailable = (retryAfterSeconds = 5, cause?: unknown) =>
  new DomainError('NOTIFICATIONS_UNAVAILABLE', 'EHR notifications cannot be admitted right now.', {
    retryAfterSeconds,
    cause,
  });

/**
 * The review-write counters could not be read or charged: fail closed, so an outage of the counter
 * store never lets a flood of reviews or reports through.
 */
export const reviewWritesUnavailable = (cause?: unknown) =>
  new DomainError('REVIEW_WRITES_UNAVAILABLE', 'Review writes cannot be admitted right now.', {
    retryAfterSeconds: 5,
    cause,
  });

import { z } from 'zod';
import { TenantEventSchema } from './tenant-events.ts';
import { type WebhookDeliverySchema, WebhookIdSchema } from './webhooks.ts';

/**
 * Seconds to wait before each retry of a delivery: attempt 1 is sent at once, attempt n+1 this
 * long after attempt n failed in a retryable way. Seven attempts over about seven hours, then
 * `failed`.
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 3_600, 21_600] as const;
export const MAX_WEBHOOK_ATTEMPTS = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;
/** A receiver gets this long per attempt (connect to last byte). */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** The receiver's answer body is read up to this size, then dropped: it is never stored. */
export const WEBHOOK_MAX_RESPONSE_BYTES = 16 * 1024;

/** Why an attempt got no HTTP answer: a fixed code, never the address or the error's text. */
export const WEBHOOK_FAILURE_CODES = [
  'EGRESS_DENIED',
  'TIMEOUT',
  'UNREACHABLE',
  'RESPONSE_TOO_LARGE',
] as const;
export type WebhookFailureCode = (typeof WEBHOOK_FAILURE_CODES)[number];

/** What one attempt came to. */
export type WebhookAttemptResult =
  | { readonly kind: 'answered'; readonly status: number }
  | { readonly kind: 'no-answer'; readonly code: WebhookFailureCode };

/**
 * One delivery of one event to one webhook, as the delivery queue carries it: the event itself
 * (ids, codes and figures only), the attempt it is at and when it is due.
 */
export const WebhookDeliveryMessageSchema = z.object({
  tenantId: z.string().min(1),
  webhookId: WebhookIdSchema,
  event: TenantEventSchema,
  attempt: z.number().int().min(1).max(MAX_WEBHOOK_ATTEMPTS),
  dueAt: z.iso.datetime(),
});
export type WebhookDeliveryMessage = z.infer<typeof WebhookDeliveryMessageSchema>;

export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliverySchema>['status'];

/**
 * 2xx: delivered. 429, 5xx, a timeout or an unreachable receiver: tried again with backoff, until
 * the attempts run out. Any other answer (a 4xx, a 3xx: redirects are not followed) and a refused
 * address: failed at once, since the same request would be refused again.
 */
export function outcomeOf(result: WebhookAttemptResult, attempt: number): WebhookDeliveryStatus {
  if (result.kind === 'answered' && result.status >= 200 && result.status < 300) return 'delivered';
  const isRetryable =
    result.kind === 'answered'
      ? result.status === 429 || result.status >= 500
      : result.code === 'TIMEOUT' || result.code === 'UNREACHABLE';
  return isRetryable && attempt < MAX_WEBHOOK_ATTEMPTS ? 'retrying' : 'failed';
}

/** When attempt `attempt + 1` is due after attempt `attempt` failed at `failedAt`. */
export function nextAttemptAt(attempt: number, failedAt: Date): Date {
  const delay = WEBHOOK_RETRY_DELAYS_SECONDS[Math.min(attempt, WEBHOOK_RETRY_DELAYS_SECONDS.length) - 1] ?? 0;
  return new Date(failedAt.getTime() + delay * 1000);
}

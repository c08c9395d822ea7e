import type { WebhookAttemptResult } from '../domain/webhook-delivery.ts';

/** One signed POST: the Standard Webhooks headers are made from these by the adapter. */
export interface WebhookRequest {
  readonly url: string;
  /** `whsec_…`: the webhook's secret, opened for this attempt only. */
  readonly secret: string;
  /** `webhook-id`: the event id, which receivers dedupe on. */
  readonly messageId: string;
  readonly timestamp: Date;
  /** The JSON body, exactly as signed. */
  readonly payload: string;
}

/**
 * Sends one delivery through the platform's guarded egress (https only, no private or metadata
 * address at connect time, no redirects followed, a timeout, the answer body capped and dropped).
 */
export interface WebhookSender {
  send(request: WebhookRequest): Promise<WebhookAttemptResult>;
}

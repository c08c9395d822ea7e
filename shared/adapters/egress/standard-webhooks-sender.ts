import { Webhook } from 'standardwebhooks';
import {
  WEBHOOK_MAX_RESPONSE_BYTES,
  WEBHOOK_TIMEOUT_MS,
  type WebhookAttemptResult,
  type WebhookFailureCode,
} from '../../domain/webhook-delivery.ts';
import type { WebhookRequest, WebhookSender } from '../../ports/webhook-sender.ts';
import {
  createGuardedFetch,
  type EgressFailure,
  egressFailureOf,
  type PluginFetch,
} from './guarded-fetch.ts';

export interface WebhookSenderOptions {
  /**
   * Local platform only: receiver origins (`http://127.0.0.1:4555`) let through although they are
   * loopback and plain http, so a developer's receiver on this machine gets deliveries. A deployed
   * config refuses the setting (WEBHOOK_LOOPBACK_ORIGINS).
   */
  readonly loopbackOrigins?: readonly string[] | undefined;
  /** Tests: the guarded fetch with a hostile resolver. */
  readonly fetch?: PluginFetch;
}

const FAILURE_CODES: Record<EgressFailure, WebhookFailureCode> = {
  denied: 'EGRESS_DENIED',
  timeout: 'TIMEOUT',
  'too-large': 'RESPONSE_TOO_LARGE',
  failed: 'UNREACHABLE',
};

/**
 * Deliveries signed in the Standard Webhooks format by its maintained library (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>`), sent through the same
 * guarded egress as plugins' `network.fetch`: the address is judged when connecting (no private,
 * loopback, link-local or metadata address, DNS rebinding included), redirects are answers, not
 * followed, each attempt has its timeout, and the answer's body is capped and dropped.
 */
export class StandardWebhooksSender implements WebhookSender {
  private readonly fetch: PluginFetch;

  constructor(options: WebhookSenderOptions = {}) {
    this.fetch =
      options.fetch ??
      createGuardedFetch({
        maxResponseBytes: WEBHOOK_MAX_RESPONSE_BYTES,
        timeoutMs: WEBHOOK_TIMEOUT_MS,
        allowedLoopbackOrigins: options.loopbackOrigins,
      });
  }

  async send(request: WebhookRequest): Promise<WebhookAttemptResult> {
    const signature = new Webhook(request.secret).sign(request.messageId, request.timestamp, request.payload);
    try {
      const response = await this.fetch(request.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'gradiant-plugins-webhooks/1',
          'webhook-id': request.messageId,
          'webhook-timestamp': String(Math.floor(request.timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: request.payload,
      });
      return { kind: 'answered', status: response.status };
    } catch (error) {
      return { kind: 'no-answer', code: FAILURE_CODES[egressFailureOf(error)] };
    }
  }
}

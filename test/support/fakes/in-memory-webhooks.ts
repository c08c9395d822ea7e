import { webhookLimitReached, webhookNotFound } from '../../../shared/domain/errors/webhook-errors.ts';
import type {
  WebhookAttemptResult,
  WebhookDeliveryMessage,
} from '../../../shared/domain/webhook-delivery.ts';
import type { OutboxEntries } from '../../../shared/ports/outbox.ts';
import type { WebhookDeliveryQueue } from '../../../shared/ports/webhook-delivery-queue.ts';
import type {
  StoredWebhook,
  WebhookDelivery,
  WebhookRepository,
} from '../../../shared/ports/webhook-repository.ts';
import type {
  WebhookSecretContext,
  WebhookSecretSealer,
} from '../../../shared/ports/webhook-secret-sealer.ts';
import type { WebhookRequest, WebhookSender } from '../../../shared/ports/webhook-sender.ts';
import type { InMemoryOutbox } from './in-memory-outbox.ts';

/** The tenant's webhooks in memory, with the adapter's rules: the maximum, 404 for unknown ids. */
export class InMemoryWebhookRepository implements WebhookRepository {
  readonly webhooks = new Map<string, StoredWebhook>();
  private readonly outbox: InMemoryOutbox | undefined;

  constructor(outbox?: InMemoryOutbox) {
    this.outbox = outbox;
  }

  async list(tenantId: string): Promise<StoredWebhook[]> {
    return [...this.webhooks].filter(([key]) => key.startsWith(`${tenantId}/`)).map(([, webhook]) => webhook);
  }

  async get(tenantId: string, webhookId: string): Promise<StoredWebhook | undefined> {
    return this.webhooks.get(`${tenantId}/${webhookId}`);
  }

  async create(
    tenantId: string,
    webhook: StoredWebhook,
    maxPerTenant: number,
    outbox: OutboxEntries,
  ): Promise<void> {
    if ((await this.list(tenantId)).length >= maxPerTenant) throw webhookLimitReached();
    this.webhooks.set(`${tenantId}/${webhook.id}`, webhook);
    this.outbox?.commit(outbox);
  }

  async remove(tenantId: string, webhookId: string, outbox: OutboxEntries): Promise<void> {
    if (!this.webhooks.delete(`${tenantId}/${webhookId}`)) throw webhookNotFound();
    this.outbox?.commit(outbox);
  }

  async recordDelivery(tenantId: string, webhookId: string, delivery: WebhookDelivery): Promise<boolean> {
    const stored = this.webhooks.get(`${tenantId}/${webhookId}`);
    if (!stored) return false;
    this.webhooks.set(`${tenantId}/${webhookId}`, { ...stored, lastDelivery: delivery });
    return true;
  }
}

/** Seals by naming whose secret it is, so a test sees a secret opened for the wrong webhook fail. */
export class FakeWebhookSecretSealer implements WebhookSecretSealer {
  async seal(secret: string, context: WebhookSecretContext): Promise<string> {
    return `sealed:${context.tenantId}:${context.webhookId}:${Buffer.from(secret).toString('hex')}`;
  }

  async open(sealed: string, context: WebhookSecretContext): Promise<string> {
    const prefix = `sealed:${context.tenantId}:${context.webhookId}:`;
    if (!sealed.startsWith(prefix)) throw new Error('sealed for another webhook');
    return Buffer.from(sealed.slice(prefix.length), 'hex').toString('utf8');
  }
}

export class InMemoryDeliveryQueue implements WebhookDeliveryQueue {
  readonly messages: WebhookDeliveryMessage[] = [];

  async enqueue(messages: readonly WebhookDeliveryMessage[]): Promise<void> {
    this.messages.push(...messages);
  }
}

/** Answers each send with the next scripted result (the last one repeats). */
export class ScriptedWebhookSender implements WebhookSender {
  readonly sent: WebhookRequest[] = [];
  private readonly results: WebhookAttemptResult[];

  constructor(...results: WebhookAttemptResult[]) {
    this.results = results;
  }

  async send(request: WebhookRequest): Promise<WebhookAttemptResult> {
    this.sent.push(request);
    return (
      this.results[Math.min(this.sent.length, this.results.length) - 1] ?? { kind: 'answered', status: 204 }
    );
  }
}

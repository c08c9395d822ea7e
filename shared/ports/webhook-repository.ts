import type { Webhook } from '../domain/webhooks.ts';
import type { OutboxEntries } from './outbox.ts';

/** A webhook as stored: the view plus its signing secret, sealed (never the secret in clear). */
export type StoredWebhook = Webhook & { readonly sealedSecret: string };
export type WebhookDelivery = NonNullable<Webhook['lastDelivery']>;

/**
 * The tenant's webhooks (the plugins table, the tenant's partition). Creating and removing are
 * transactional with their outbox entries and with the tenant's webhook count, so the per-tenant
 * maximum holds however many requests race.
 */
export interface WebhookRepository {
  list(tenantId: string): Promise<StoredWebhook[]>;
  get(tenantId: string, webhookId: string): Promise<StoredWebhook | undefined>;
  /** Rejects with WEBHOOK_LIMIT_REACHED when the tenant has `maxPerTenant` already. */
  create(
    tenantId: string,
    webhook: StoredWebhook,
    maxPerTenant: number,
    outbox: OutboxEntries,
  ): Promise<void>;
  /** Rejects with WEBHOOK_NOT_FOUND when there is no such webhook in the tenant. */
  remove(tenantId: string, webhookId: string, outbox: OutboxEntries): Promise<void>;
  /** Records the last attempt; answers false when the webhook is gone (removed meanwhile). */
  recordDelivery(tenantId: string, webhookId: string, delivery: WebhookDelivery): Promise<boolean>;
}

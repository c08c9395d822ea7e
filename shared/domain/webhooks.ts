import { z } from 'zod';
import { TenantEventTypeSchema } from './tenant-events.ts';

/** A webhook's id: `wh_` and 26 Crockford base32 characters (a ULID), never a caller's text. */
export const WebhookIdSchema = z.string().regex(/^wh_[0-9A-HJKMNP-TV-Z]{26}$/);

export const MAX_WEBHOOKS_PER_TENANT = 10;

/**
 * What a tenant registers. The URL must be https with a public host name; the platform checks it
 * again at every delivery (through the guarded egress), so a name that later resolves to a private
 * address gets nothing. The schema admits http so that the endpoint guard answers it
 * (`WEBHOOK_URL_NOT_ALLOWED`, "must use https"), and so that the local platform's one exception,
 * a receiver on a loopback origin it was told of, can be registered there.
 */
export const WebhookRegistrationSchema = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  eventTypes: z.array(TenantEventTypeSchema).min(1).max(16),
  description: z.string().max(200).optional(),
});
export type WebhookRegistration = z.infer<typeof WebhookRegistrationSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['delivered', 'retrying', 'failed'] as const;

/** The last delivery attempt of a webhook, so a tenant admin can see why nothing arrives. */
export const WebhookDeliverySchema = z.object({
  eventId: z.string(),
  eventName: TenantEventTypeSchema,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int().min(1),
  attemptedAt: z.iso.datetime(),
  /** The receiver's HTTP status, when it answered. */
  httpStatus: z.number().int().optional(),
  /** Why it failed without an answer: a platform code (`EGRESS_DENIED`, `TIMEOUT`, `UNREACHABLE`). */
  errorCode: z.string().optional(),
  nextAttemptAt: z.iso.datetime().optional(),
});

export const WebhookSchema = z.object({
  id: WebhookIdSchema,
  url: z.string(),
  eventTypes: z.array(TenantEventTypeSchema),
  description: z.string().optional(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  lastDelivery: WebhookDeliverySchema.optional(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/**
 * The answer to a registration: the only time the signing secret is shown (Standard Webhooks
 * `whsec_` + base64 of 32 random bytes); the platform keeps it encrypted and never lists it again.
 */
export const RegisteredWebhookSchema = WebhookSchema.extend({
  secret: z.string().regex(/^whsec_[A-Za-z0-9+/]{43}=$/),
});
export type RegisteredWebhook = z.infer<typeof RegisteredWebhookSchema>;

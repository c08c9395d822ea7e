import { z } from 'zod';
import { TenantEventSchema } from '../../domain/tenant-events.ts';
import {
  RegisteredWebhookSchema,
  WebhookIdSchema,
  WebhookRegistrationSchema,
  WebhookSchema,
} from '../../domain/webhooks.ts';
import { PageQuerySchema } from '../pagination.ts';
import { EventsQuerySchema } from '../requests/tenant-event-requests.ts';
import { pageOf } from '../response-schemas.ts';
import { defineRoute } from '../route-record.ts';

/** A feed page: `cursor` is always there, so a caller that saw nothing new resumes from it. */
export const EventsPageSchema = z.object({
  items: z.array(TenantEventSchema),
  cursor: z.string(),
});

/** The events feed and webhooks of the caller's own tenant. */
export const TENANT_EVENT_ROUTES = [
  defineRoute({
    routeKey: 'GET /v1/events',
    operationId: 'listEvents',
    function: 'events',
    scopes: ['plugins:read'],
    summary: "The tenant's lifecycle, error, limit and advisory events in order, resumable from a cursor",
    request: { query: EventsQuerySchema },
    status: 200,
    response: EventsPageSchema,
  }),
  defineRoute({
    routeKey: 'POST /v1/webhooks',
    operationId: 'registerWebhook',
    function: 'events',
    scopes: ['plugins:admin'],
    summary: 'Register an https endpoint for some event types; the answer shows the signing secret once',
    request: { body: WebhookRegistrationSchema },
    status: 201,
    response: RegisteredWebhookSchema,
    problems: [409, 422],
    idempotencyScope: 'webhook',
  }),
  defineRoute({
    routeKey: 'GET /v1/webhooks',
    operationId: 'listWebhooks',
    function: 'events',
    scopes: ['plugins:read', 'plugins:admin'],
    summary: "The tenant's webhooks with their last delivery",
    request: { query: PageQuerySchema },
    status: 200,
    response: pageOf(WebhookSchema),
  }),
  defineRoute({
    routeKey: 'DELETE /v1/webhooks/{webhookId}',
    operationId: 'deleteWebhook',
    function: 'events',
    scopes: ['plugins:admin'],
    summary: 'Remove a webhook; deliveries in flight stop',
    request: { path: z.object({ webhookId: WebhookIdSchema }) },
    status: 204,
    problems: [404],
  }),
] as const;

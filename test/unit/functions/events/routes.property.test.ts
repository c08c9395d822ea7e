import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventsRoutes } from '../../../../functions/events/routes.ts';
import { toProblem } from '../../../../shared/http/problem.ts';
import { newWebhookSecret, webhookIdGenerator } from '../../../../shared/services/events/webhook-identity.ts';
import { WebhookService } from '../../../../shared/services/events/webhook-service.ts';
import { FakeEhrEndpointGuard } from '../../../support/fakes/in-memory-ehr-connections.ts';
import { InMemoryIdempotencyStore } from '../../../support/fakes/in-memory-idempotency-store.ts';
import { InMemoryOutbox } from '../../../support/fakes/in-memory-outbox.ts';
import { InMemoryTenantEventFeed } from '../../../support/fakes/in-memory-tenant-event-feed.ts';
import {
  FakeWebhookSecretSealer,
  InMemoryWebhookRepository,
} from '../../../support/fakes/in-memory-webhooks.ts';
import { callRoute } from '../../../support/route-call.ts';
import { testCursorCodec } from '../../../support/test-cursors.ts';

const caller = {
  tenantId: 't-acme' as never,
  userId: 'admin',
  scopes: new Set(['plugins:read', 'plugins:admin']),
};
const clock = { now: () => new Date('2030-01-07T12:00:00.000Z') };

/** Values near the edges of each parameter, and arbitrary text. */
const value = fc.oneof(
  fc.constantFrom(
    '0',
    '-1',
    '1',
    '100',
    '101',
    '1e3',
    'plugin:enabled',
    'plugin:enabled,plugin:error',
    'plugin:enabled,',
    'audit:plugin:installed',
    'v1.MA.AAAA',
    `v1.MA.${'A'.repeat(43)}`,
    'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  ),
  fc.string({ maxLength: 120 }),
);

const body = fc.oneof(
  fc.record(
    {
      url: fc.oneof(
        fc.constantFrom(
          'https://hooks.example.org/in',
          'http://hooks.example.org/',
          'https://10.0.0.1/',
          'ftp://x/',
        ),
        fc.string({ maxLength: 60 }),
      ),
      eventTypes: fc.oneof(
        fc.constant(['plugin:enabled']),
        fc.array(fc.oneof(fc.constant('plugin:error'), fc.string({ maxLength: 20 })), { maxLength: 20 }),
      ),
      description: fc.oneof(fc.string({ maxLength: 250 }), fc.integer()),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

describe('events and webhook request parsers (property)', () => {
  it('answers any query, path and body with a 2xx or a 4xx problem, never a 5xx', async () => {
    const outbox = new InMemoryOutbox();
    const webhooks = new InMemoryWebhookRepository(outbox);
    const idempotency = new InMemoryIdempotencyStore();
    const routes = eventsRoutes({
      feed: new InMemoryTenantEventFeed(),
      clock,
      cursors: testCursorCodec(),
      idempotency,
      webhookServiceFor: () =>
        new WebhookService({
          tenantId: 't-acme',
          actorId: 'admin',
          webhooks,
          sealer: new FakeWebhookSecretSealer(),
          endpointGuard: new FakeEhrEndpointGuard(),
          webhookIds: webhookIdGenerator(clock),
          newSecret: newWebhookSecret,
          auditTrail: { outbox, ids: { next: () => randomUUID() }, clock },
        }),
    });

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(routes)),
        fc.dictionary(fc.constantFrom('after', 'types', 'limit', 'cursor'), value),
        value,
        body,
        async (routeKey, query, webhookId, requestBody) => {
          try {
            const response = await callRoute(routes, routeKey, {
              caller,
              query,
              pathParameters: { webhookId },
              body: routeKey.startsWith('POST') ? requestBody : undefined,
              idempotency: { store: idempotency, now: clock.now },
            });
            expect(response.status).toBeLessThan(300);
          } catch (error) {
            const problem = toProblem(error, 'req');
            expect(problem.status, String((error as Error)?.stack)).toBeGreaterThanOrEqual(400);
            expect(problem.status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

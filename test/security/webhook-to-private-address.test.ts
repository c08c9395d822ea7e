import { randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsEhrEndpointGuard } from '../../shared/adapters/egress/ehr-endpoint-guard.ts';
import { createGuardedFetch } from '../../shared/adapters/egress/guarded-fetch.ts';
import { StandardWebhooksSender } from '../../shared/adapters/egress/standard-webhooks-sender.ts';
import { TenantIdSchema } from '../../shared/domain/identifiers.ts';
import { deliverWebhook } from '../../shared/services/events/deliver-webhook.ts';
import { newWebhookSecret, webhookIdGenerator } from '../../shared/services/events/webhook-identity.ts';
import { WebhookService } from '../../shared/services/events/webhook-service.ts';
import { InMemoryOutbox } from '../support/fakes/in-memory-outbox.ts';
import {
  FakeWebhookSecretSealer,
  InMemoryDeliveryQueue,
  InMemoryWebhookRepository,
} from '../support/fakes/in-memory-webhooks.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

const clock = { now: () => new Date() };
/** What the hostile name resolves to: the instance metadata service, a VPC host, loopback. */
const PRIVATE_ANSWERS: Record<string, string> = {
  'metadata.attacker.example.com': '169.254.169.254',
  'vpc.attacker.example.com': '10.0.12.7',
  'loopback.attacker.example.com': '127.0.0.1',
  'mapped.attacker.example.com': '::ffff:169.254.169.254',
};

/**
 * Attack: a tenant admin points a webhook at the platform's own network (the metadata service, a
 * VPC host, loopback), as an IP literal in any spelling, an internal name, or a public-looking
 * name that resolves there, or that resolves publicly at registration and privately later (DNS
 * rebinding). Registration refuses each with 422 WEBHOOK_URL_NOT_ALLOWED on body.url; a delivery to
 * a name that rebinds is refused when connecting. Nothing is sent, the refusal names no address.
 */
describe('security: webhooks to private or metadata addresses', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(204);
  });

  afterAll(async () => {
    await receiver.close();
  });

  const service = (resolve: (host: string) => Promise<readonly string[]>) => {
    const outbox = new InMemoryOutbox();
    const webhooks = new InMemoryWebhookRepository(outbox);
    return {
      webhooks,
      outbox,
      service: new WebhookService({
        tenantId: 't-acme',
        actorId: 'admin',
        requestId: 'req-1',
        webhooks,
        sealer: new FakeWebhookSecretSealer(),
        endpointGuard: new DnsEhrEndpointGuard({ resolve }),
        webhookIds: webhookIdGenerator(clock),
        newSecret: newWebhookSecret,
        auditTrail: { outbox, ids: { next: () => randomUUID() }, clock },
      }),
    };
  };
  const hostileResolve = async (host: string) => {
    const answer = PRIVATE_ANSWERS[host];
    return answer ? [answer] : ['93.184.215.14'];
  };

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://[::ffff:169.254.169.254]/',
    'https://[::ffff:a9fe:a9fe]/',
    'https://0xa9.0xfe.0xa9.0xfe/',
    'https://2852039166/',
    'https://127.0.0.1/',
    'https://[::1]/',
    'https://10.0.12.7/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://localhost/',
    'https://metadata.attacker.example.com/',
    'https://vpc.attacker.example.com/',
    'https://loopback.attacker.example.com/',
    'https://mapped.attacker.example.com/',
    'http://hooks.example.org/plain-http',
  ])('refuses to register %s', async (url) => {
    const { service: webhooks, webhooks: stored } = service(hostileResolve);

    const refusal = await webhooks
      .register({ url, eventTypes: ['plugin:enabled'] })
      .catch((error: unknown) => error);

    expect(refusal).toMatchObject({ code: 'WEBHOOK_URL_NOT_ALLOWED', field: 'body.url' });
    expect(JSON.stringify(refusal)).not.toMatch(/169\.254|10\.0\.12|127\.0\.0/);
    expect(stored.webhooks.size).toBe(0);
  });

  it('refuses a delivery to a name that resolved publicly at registration and rebinds to a private address', async () => {
    const { service: registrar, webhooks } = service(hostileResolve);
    const registered = await registrar.register({
      url: 'https://rebind.attacker.example.com/in',
      eventTypes: ['plugin:enabled'],
    });
    const port = Number(new URL(receiver.origin).port);
    // At delivery the name answers loopback, where the receiver listens: the guard must refuse it.
    const rebinding = ((_host: string, _options: unknown, callback: (...args: unknown[]) => void) =>
      callback(null, [{ address: '127.0.0.1', family: 4 } satisfies LookupAddress])) as never;
    const sender = new StandardWebhooksSender({
      fetch: createGuardedFetch({ maxResponseBytes: 1024, timeoutMs: 2_000, resolve: rebinding }),
    });
    const queue = new InMemoryDeliveryQueue();
    const stored = await webhooks.get('t-acme', registered.id);
    if (!stored) throw new Error('the registration was not stored');
    webhooks.webhooks.set(`t-acme/${registered.id}`, {
      ...stored,
      url: `https://rebind.attacker.example.com:${port}/in`,
    });

    const status = await deliverWebhook(
      {
        tenantId: 't-acme',
        webhookId: registered.id,
        event: {
          id: 'evt-1',
          name: 'plugin:enabled',
          time: new Date().toISOString(),
          tenantId: TenantIdSchema.parse('t-acme'),
          detail: {},
        },
        attempt: 1,
        dueAt: new Date().toISOString(),
      },
      { webhooks, sealer: new FakeWebhookSecretSealer(), sender, queue, clock },
    );

    expect(status).toBe('failed');
    expect((await webhooks.get('t-acme', registered.id))?.lastDelivery).toMatchObject({
      errorCode: 'EGRESS_DENIED',
    });
    expect(queue.messages).toEqual([]);
    expect(receiver.received).toEqual([]);
  });
});

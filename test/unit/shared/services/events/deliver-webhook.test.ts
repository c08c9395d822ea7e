import { describe, expect, it } from 'vitest';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { TenantEvent } from '../../../../../shared/domain/tenant-events.ts';
import type {
  WebhookAttemptResult,
  WebhookDeliveryMessage,
} from '../../../../../shared/domain/webhook-delivery.ts';
import { deliverWebhook } from '../../../../../shared/services/events/deliver-webhook.ts';
import { dispatchToWebhooks } from '../../../../../shared/services/events/dispatch-to-webhooks.ts';
import {
  FakeWebhookSecretSealer,
  InMemoryDeliveryQueue,
  InMemoryWebhookRepository,
  ScriptedWebhookSender,
} from '../../../../support/fakes/in-memory-webhooks.ts';

const now = new Date('2030-01-07T12:00:00.000Z');
const clock = { now: () => now };
const WEBHOOK_ID = 'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const event: TenantEvent = {
  id: 'evt-1',
  name: 'plugin:enabled',
  time: now.toISOString(),
  tenantId: TenantIdSchema.parse('t-one'),
  detail: { pluginId: 'p' },
};

async function harness(...results: WebhookAttemptResult[]) {
  const webhooks = new InMemoryWebhookRepository();
  const sealer = new FakeWebhookSecretSealer();
  await webhooks.create(
    't-one',
    {
      id: WEBHOOK_ID,
      url: 'https://hooks.example.org/in',
      eventTypes: ['plugin:enabled'],
      createdAt: now.toISOString(),
      createdBy: 'admin',
      sealedSecret: await sealer.seal(SECRET, { tenantId: 't-one', webhookId: WEBHOOK_ID }),
    },
    10,
    [],
  );
  const queue = new InMemoryDeliveryQueue();
  const sender = new ScriptedWebhookSender(...results);
  return { deps: { webhooks, sealer, sender, queue, clock }, webhooks, queue, sender };
}

const message = (overrides: Partial<WebhookDeliveryMessage> = {}): WebhookDeliveryMessage => ({
  tenantId: 't-one',
  webhookId: WEBHOOK_ID,
  event,
  attempt: 1,
  dueAt: now.toISOString(),
  ...overrides,
});

describe('delivering a webhook', () => {
  it('sends the event signed with the opened secret, the event id as webhook-id, and records it delivered', async () => {
    const { deps, webhooks, sender, queue } = await harness({ kind: 'answered', status: 204 });

    expect(await deliverWebhook(message(), deps)).toBe('delivered');

    expect(sender.sent).toEqual([
      {
        url: 'https://hooks.example.org/in',
        secret: SECRET,
        messageId: 'evt-1',
        timestamp: now,
        payload: JSON.stringify(event),
      },
    ]);
    expect((await webhooks.get('t-one', WEBHOOK_ID))?.lastDelivery).toEqual({
      eventId: 'evt-1',
      eventName: 'plugin:enabled',
      status: 'delivered',
      attempts: 1,
      attemptedAt: now.toISOString(),
      httpStatus: 204,
    });
    expect(queue.messages).toEqual([]);
  });

  it('queues the next attempt after a 5xx with its backoff, and shows when', async () => {
    const { deps, webhooks, queue } = await harness({ kind: 'answered', status: 503 });

    expect(await deliverWebhook(message({ attempt: 2 }), deps)).toBe('retrying');

    const next = new Date(now.getTime() + 30_000).toISOString();
    expect(queue.messages).toEqual([message({ attempt: 3, dueAt: next })]);
    expect((await webhooks.get('t-one', WEBHOOK_ID))?.lastDelivery).toMatchObject({
      status: 'retrying',
      attempts: 2,
      httpStatus: 503,
      nextAttemptAt: next,
    });
  });

  it('fails a 4xx at once, without queueing anything', async () => {
    const { deps, webhooks, queue } = await harness({ kind: 'answered', status: 410 });

    expect(await deliverWebhook(message(), deps)).toBe('failed');

    expect(queue.messages).toEqual([]);
    expect((await webhooks.get('t-one', WEBHOOK_ID))?.lastDelivery).toMatchObject({
      status: 'failed',
      httpStatus: 410,
    });
  });

  it('records a refused address by its code and does not retry it', async () => {
    const { deps, webhooks, queue } = await harness({ kind: 'no-answer', code: 'EGRESS_DENIED' });

    expect(await deliverWebhook(message(), deps)).toBe('failed');

    expect(queue.messages).toEqual([]);
    expect((await webhooks.get('t-one', WEBHOOK_ID))?.lastDelivery).toMatchObject({
      status: 'failed',
      errorCode: 'EGRESS_DENIED',
    });
  });

  it('stops in-flight retries of a removed webhook: nothing sent, nothing queued', async () => {
    const { deps, webhooks, sender, queue } = await harness();
    await webhooks.remove('t-one', WEBHOOK_ID, []);

    expect(await deliverWebhook(message({ attempt: 3 }), deps)).toBe('dropped');

    expect(sender.sent).toEqual([]);
    expect(queue.messages).toEqual([]);
  });

  it('puts a message that came back early on the queue again, unsent', async () => {
    const { deps, sender, queue } = await harness();
    const later = message({ attempt: 6, dueAt: new Date(now.getTime() + 3_600_000).toISOString() });

    expect(await deliverWebhook(later, deps)).toBe('not-due');

    expect(sender.sent).toEqual([]);
    expect(queue.messages).toEqual([later]);
  });
});

describe('dispatching events to webhooks', () => {
  it('queues one first attempt per subscribed webhook of the event’s tenant', async () => {
    const { webhooks, queue } = await harness();

    const count = await dispatchToWebhooks(
      [
        event,
        { ...event, id: 'evt-2', name: 'plugin:disabled' },
        { ...event, id: 'evt-3', tenantId: TenantIdSchema.parse('t-two') },
      ],
      { webhooks, queue, clock },
    );

    expect(count).toBe(1);
    expect(queue.messages).toEqual([message()]);
  });
});

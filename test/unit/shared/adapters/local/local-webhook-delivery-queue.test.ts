import { describe, expect, it } from 'vitest';
import {
  LOCAL_MAX_RECEIVES,
  LocalWebhookDeliveryQueue,
} from '../../../../../shared/adapters/local/local-webhook-delivery-queue.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { WebhookDeliveryMessage } from '../../../../../shared/domain/webhook-delivery.ts';

const now = new Date('2030-01-07T12:00:00.000Z');

const message = (id: string, delaySeconds = 0): WebhookDeliveryMessage => ({
  tenantId: 't-one',
  webhookId: 'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  event: {
    id,
    name: 'plugin:enabled',
    time: now.toISOString(),
    tenantId: TenantIdSchema.parse('t-one'),
    detail: {},
  },
  attempt: 1,
  dueAt: new Date(now.getTime() + delaySeconds * 1000).toISOString(),
});

describe('LocalWebhookDeliveryQueue', () => {
  it('hands due messages to the delivery at once and keeps later ones on their timers', async () => {
    const queue = new LocalWebhookDeliveryQueue({ now: () => now });
    const delivered: string[] = [];
    queue.attach(async (delivery) => {
      delivered.push(delivery.event.id);
    });

    await queue.enqueue([message('due-1'), message('later', 3_600), message('due-2')]);
    await queue.settle();

    expect(delivered).toEqual(['due-1', 'due-2']);
    await queue.stop();
  });

  it(`offers a delivery that keeps throwing at most ${LOCAL_MAX_RECEIVES} times`, async () => {
    const queue = new LocalWebhookDeliveryQueue({ now: () => now }, 1);
    let offers = 0;
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    queue.attach(async () => {
      offers += 1;
      if (offers === LOCAL_MAX_RECEIVES) setTimeout(resolveDone, 1_500);
      throw new Error('the webhook store is down');
    });

    await queue.enqueue([message('poison')]);
    await done;
    await queue.settle();

    expect(offers).toBe(LOCAL_MAX_RECEIVES);
    await queue.stop();
  }, 15_000);
});

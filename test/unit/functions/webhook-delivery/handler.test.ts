import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { webhookDeliveryHandlerOf } from '../../../../functions/webhook-delivery/wiring.ts';
import type { WebhookDeliveryMessage } from '../../../../shared/domain/webhook-delivery.ts';
import { createLogger } from '../../../../shared/observability/logger.ts';
import {
  FakeWebhookSecretSealer,
  InMemoryDeliveryQueue,
  InMemoryWebhookRepository,
  ScriptedWebhookSender,
} from '../../../support/fakes/in-memory-webhooks.ts';

const now = new Date('2030-01-07T12:00:00.000Z');
const clock = { now: () => now };
const WEBHOOK_ID = 'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ';
const CANARY = 'CANARY-PHI-Jane-Roe';

const message = (id: string): WebhookDeliveryMessage => ({
  tenantId: 't-one',
  webhookId: WEBHOOK_ID,
  event: {
    id,
    name: 'plugin:error',
    time: now.toISOString(),
    tenantId: 't-one' as never,
    detail: { pluginId: 'p', note: CANARY },
  },
  attempt: 1,
  dueAt: now.toISOString(),
});

const sqsEvent = (bodies: readonly string[]): SQSEvent =>
  ({ Records: bodies.map((body, index) => ({ messageId: `m-${index}`, body })) }) as unknown as SQSEvent;

async function harness() {
  const webhooks = new InMemoryWebhookRepository();
  const sealer = new FakeWebhookSecretSealer();
  await webhooks.create(
    't-one',
    {
      id: WEBHOOK_ID,
      url: `https://hooks.example.org/${CANARY}`,
      eventTypes: ['plugin:error'],
      createdAt: now.toISOString(),
      createdBy: 'admin',
      sealedSecret: await sealer.seal(`whsec_${Buffer.alloc(32).toString('base64')}`, {
        tenantId: 't-one',
        webhookId: WEBHOOK_ID,
      }),
    },
    10,
    [],
  );
  return { webhooks, sealer, queue: new InMemoryDeliveryQueue(), clock, sender: new ScriptedWebhookSender() };
}

describe('the webhook delivery handler', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reports only the message whose attempt could not be made, and drops one that does not parse', async () => {
    const deps = await harness();
    deps.webhooks.recordDelivery = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const handler = webhookDeliveryHandlerOf(deps, createLogger('webhook-delivery-test', 'SILENT'));

    const response = await handler(sqsEvent(['{"not":"a delivery"}', JSON.stringify(message('evt-1'))]));

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(deps.sender.sent).toHaveLength(1);
  });

  it('logs ids only: never the event detail, the URL or the secret', async () => {
    const deps = await harness();
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const handler = webhookDeliveryHandlerOf(deps, createLogger('webhook-delivery-test', 'DEBUG'));

    await handler(sqsEvent([JSON.stringify(message('evt-2')), 'not json']));
    vi.restoreAllMocks();

    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).toContain('evt-2');
    expect(lines.join('')).not.toContain(CANARY);
    expect(lines.join('')).not.toContain('whsec_');
  });
});

import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsWebhookDeliveryQueue } from '../../../../../shared/adapters/aws/sqs-webhook-delivery-queue.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { WebhookDeliveryMessage } from '../../../../../shared/domain/webhook-delivery.ts';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());
const now = new Date('2030-01-07T12:00:00.000Z');

const message = (attempt: number, delaySeconds: number): WebhookDeliveryMessage => ({
  tenantId: 't-one',
  webhookId: 'wh_01HZZZZZZZZZZZZZZZZZZZZZZZ',
  event: {
    id: `evt-${attempt}`,
    name: 'plugin:enabled',
    time: now.toISOString(),
    tenantId: TenantIdSchema.parse('t-one'),
    detail: {},
  },
  attempt,
  dueAt: new Date(now.getTime() + delaySeconds * 1000).toISOString(),
});

describe('SqsWebhookDeliveryQueue', () => {
  const queue = () =>
    new SqsWebhookDeliveryQueue(new SQSClient({ region: 'us-east-1' }), 'https://sqs/q', { now: () => now });

  it('delays each message until it is due, at most SQS’s 15 minutes, in batches of 10', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await queue().enqueue([
      message(1, 0),
      message(2, 30),
      message(6, 21_600),
      ...Array.from({ length: 9 }, () => message(1, -5)),
    ]);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 2]);
    expect(calls[0]?.args[0].input.Entries?.slice(0, 4).map((entry) => entry.DelaySeconds)).toEqual([
      0, 30, 900, 0,
    ]);
    expect(JSON.parse(String(calls[0]?.args[0].input.Entries?.[1]?.MessageBody))).toEqual(message(2, 30));
  });

  it('rejects when SQS refuses an entry, so the caller tries again', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }],
    });

    await expect(queue().enqueue([message(1, 0)])).rejects.toThrow(/refused 1/);
  });
});

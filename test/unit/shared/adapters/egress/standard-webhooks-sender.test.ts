import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandardWebhooksSender } from '../../../../../shared/adapters/egress/standard-webhooks-sender.ts';
import { startWebhookReceiver } from '../../../../support/webhook-receiver.ts';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const payload = JSON.stringify({ id: 'evt-1', name: 'plugin:enabled', tenantId: 't-one', detail: {} });

describe('StandardWebhooksSender', () => {
  let ok: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let busy: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    ok = await startWebhookReceiver(204);
    busy = await startWebhookReceiver(503);
  });

  afterAll(async () => {
    await Promise.all([ok.close(), busy.close()]);
  });

  const request = (url: string) => ({
    url,
    secret: SECRET,
    messageId: 'evt-1',
    timestamp: new Date(),
    payload,
  });

  it('sends what standardwebhooks’ own Webhook.verify accepts, with the event id as webhook-id', async () => {
    const sender = new StandardWebhooksSender({ loopbackOrigins: [ok.origin] });

    const result = await sender.send(request(`${ok.origin}/in`));

    expect(result).toEqual({ kind: 'answered', status: 204 });
    const [delivery] = ok.received;
    expect(delivery?.headers['webhook-id']).toBe('evt-1');
    const headers = {
      'webhook-id': String(delivery?.headers['webhook-id']),
      'webhook-timestamp': String(delivery?.headers['webhook-timestamp']),
      'webhook-signature': String(delivery?.headers['webhook-signature']),
    };
    expect(new Webhook(SECRET).verify(delivery?.body ?? '', headers)).toEqual(JSON.parse(payload));
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(delivery?.body ?? '', headers),
    ).toThrow();
  });

  it('answers the receiver’s status, whatever its body', async () => {
    const sender = new StandardWebhooksSender({ loopbackOrigins: [busy.origin] });

    expect(await sender.send(request(`${busy.origin}/in`))).toEqual({ kind: 'answered', status: 503 });
  });

  it('refuses a loopback receiver it was not told of, before any byte is sent', async () => {
    const sender = new StandardWebhooksSender({ loopbackOrigins: [] });
    const before = ok.received.length;

    expect(await sender.send(request(`${ok.origin}/in`))).toEqual({
      kind: 'no-answer',
      code: 'EGRESS_DENIED',
    });
    expect(await sender.send(request('https://169.254.169.254/latest/meta-data/'))).toEqual({
      kind: 'no-answer',
      code: 'EGRESS_DENIED',
    });
    expect(ok.received.length).toBe(before);
  });
});

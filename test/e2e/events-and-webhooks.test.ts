import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf } from '../support/local-platform-process.ts';
import { startWebhookReceiver } from '../support/webhook-receiver.ts';

const CODE = 'export default { async execute(input) { return { input }; } };\n';
const LIFECYCLE = 'plugin:installed,plugin:enabled,plugin:disabled';

describe('the events feed and webhooks against the local platform', () => {
  let platform: InProcessPlatform;
  let acme: E2eTenant;
  let globex: E2eTenant;
  let good: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let failing: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let goodSecret: string;
  let failingId: string;

  beforeAll(async () => {
    good = await startWebhookReceiver(204);
    failing = await startWebhookReceiver(500);
    platform = await startLocalPlatformInProcess({ webhookLoopbackOrigins: [good.origin, failing.origin] });
    acme = await connectTenant(platform, 't-acme');
    globex = await connectTenant(platform, 't-globex');

    const registered = await acme.send('POST', '/v1/webhooks', {
      url: `${good.origin}/hooks/gradiant?source=e2e`,
      eventTypes: ['plugin:enabled'],
      description: 'the receiver under test',
    });
    expect(registered.status).toBe(201);
    goodSecret = (await jsonOf(registered)).secret;
    const failingWebhook = await jsonOf(
      await acme.send('POST', '/v1/webhooks', {
        url: `${failing.origin}/hooks`,
        eventTypes: ['plugin:enabled'],
      }),
    );
    failingId = failingWebhook.id;

    await acme.installEnabled('feed-plugin', CODE);
    expect((await acme.send('POST', '/v1/plugins/feed-plugin/disable')).status).toBe(200);
    await platform.settleAudit();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await Promise.all([good?.close(), failing?.close()]);
  });

  it('lists the installed, enabled and disabled events of the tenant in order', async () => {
    const page = await jsonOf(await acme.send('GET', `/v1/events?types=${LIFECYCLE}`));

    expect(page.items.map((event: { name: string }) => event.name)).toEqual([
      'plugin:installed',
      'plugin:enabled',
      'plugin:disabled',
    ]);
    expect(page.items.every((event: { tenantId: string }) => event.tenantId === 't-acme')).toBe(true);
    expect(typeof page.cursor).toBe('string');
  });

  it('pages with after: each event once, then an empty page that still answers a cursor', async () => {
    const names: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const query = `/v1/events?types=${LIFECYCLE}&limit=1${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const body = await jsonOf(await acme.send('GET', query));
      names.push(...body.items.map((event: { name: string }) => event.name));
      after = body.cursor;
      if (body.items.length === 0) break;
    }

    expect(names).toEqual(['plugin:installed', 'plugin:enabled', 'plugin:disabled']);
    const empty = await jsonOf(await acme.send('GET', `/v1/events?after=${encodeURIComponent(after ?? '')}`));
    expect(empty.items).toEqual([]);
    expect(empty.cursor).toBe(after);
  });

  it("keeps another tenant's feed apart", async () => {
    const page = await jsonOf(await globex.send('GET', '/v1/events'));

    expect(page.items).toEqual([]);
  });

  it('delivers plugin:enabled to the receiver, signed so that standardwebhooks verifies it', async () => {
    await good.next(1);
    const [delivery] = good.received;
    const enabled = (await jsonOf(await acme.send('GET', '/v1/events?types=plugin:enabled'))).items[0];

    expect(good.received).toHaveLength(1);
    expect(delivery?.path).toBe('/hooks/gradiant?source=e2e');
    expect(delivery?.headers['webhook-id']).toBe(enabled.id);
    const verified = new Webhook(goodSecret).verify(delivery?.body ?? '', {
      'webhook-id': String(delivery?.headers['webhook-id']),
      'webhook-timestamp': String(delivery?.headers['webhook-timestamp']),
      'webhook-signature': String(delivery?.headers['webhook-signature']),
    });
    expect(verified).toEqual(enabled);
  });

  it('retries a receiver that answers 500 and shows it as the last delivery', async () => {
    const first = (await jsonOf(await acme.send('GET', '/v1/webhooks'))).items.find(
      (webhook: { id: string }) => webhook.id === failingId,
    );
    expect(first.lastDelivery).toMatchObject({ status: 'retrying', attempts: 1, httpStatus: 500 });
    expect(Date.parse(first.lastDelivery.nextAttemptAt)).toBeGreaterThan(
      Date.parse(first.lastDelivery.attemptedAt),
    );

    await failing.next(2);
    await platform.settleAudit();

    const listed = await jsonOf(await acme.send('GET', '/v1/webhooks'));
    const retried = listed.items.find((webhook: { id: string }) => webhook.id === failingId);
    expect(retried.lastDelivery).toMatchObject({ status: 'retrying', attempts: 2, httpStatus: 500 });
    expect(failing.received[1]?.headers['webhook-id']).toBe(failing.received[0]?.headers['webhook-id']);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
  }, 30_000);

  it('refuses a receiver on this machine that the platform was not told of, naming body.url', async () => {
    const refused = await acme.send('POST', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/hooks',
      eventTypes: ['plugin:error'],
    });

    expect(refused.status).toBe(422);
    expect(await jsonOf(refused)).toMatchObject({
      code: 'WEBHOOK_URL_NOT_ALLOWED',
      errors: [{ field: 'body.url' }],
    });
  });

  it('honours Idempotency-Key: a retried registration answers the same webhook once registered', async () => {
    const headers = { 'idempotency-key': 'register-audit-receiver-1' };
    const body = JSON.stringify({ url: `${good.origin}/retried`, eventTypes: ['plugin:error'] });
    const post = () =>
      fetch(`${platform.url}/v1/webhooks`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', authorization: acme.authorization },
        body,
      });

    const first = await post();
    const retried = await post();

    expect(first.status).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect((await jsonOf(retried)).id).toBe((await jsonOf(first)).id);
    const listed = await jsonOf(await acme.send('GET', '/v1/webhooks'));
    expect(listed.items.filter((webhook: { url: string }) => webhook.url.endsWith('/retried'))).toHaveLength(
      1,
    );
  });

  it("removes a webhook, and answers 404 for it afterwards and for another tenant's", async () => {
    expect((await globex.send('DELETE', `/v1/webhooks/${failingId}`)).status).toBe(404);

    expect((await acme.send('DELETE', `/v1/webhooks/${failingId}`)).status).toBe(204);

    expect((await acme.send('DELETE', `/v1/webhooks/${failingId}`)).status).toBe(404);
    const listed = await jsonOf(await acme.send('GET', '/v1/webhooks'));
    expect(listed.items.map((webhook: { id: string }) => webhook.id)).not.toContain(failingId);
  });
});

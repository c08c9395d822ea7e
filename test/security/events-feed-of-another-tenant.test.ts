import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import { type InProcessPlatform, startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf } from '../support/local-platform-process.ts';

const CODE = 'export default { async execute() { return 1; } };\n';
/** A receiver origin the platform is told of (no DNS here); nothing listens: deliveries would just fail. */
const RECEIVER = 'http://127.0.0.1:9';

/**
 * Attack: a tenant reads another tenant's events feed, by replaying the other tenant's cursor, by
 * editing its own, or by forging one, and reaches for the other tenant's webhooks. The feed is a
 * Query on the caller's own partition only, cursors are sealed to tenant and list, and a webhook id
 * of another tenant is a 404: nothing of the victim's shows, and the platform keeps answering.
 */
describe('security: the events feed and webhooks of another tenant', () => {
  let platform: InProcessPlatform;
  let victim: E2eTenant;
  let attacker: E2eTenant;
  let victimCursor: string;
  let victimWebhookId: string;

  const expectInvalidAfter = async (response: Response) => {
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await jsonOf(response)).toMatchObject({
      code: 'INVALID_CURSOR',
      errors: [{ field: 'query.after' }],
    });
  };

  beforeAll(async () => {
    platform = await startLocalPlatformInProcess({ webhookLoopbackOrigins: [RECEIVER] });
    victim = await connectTenant(platform, 't-acme');
    attacker = await connectTenant(platform, 't-globex');
    await victim.installEnabled('victim-plugin', CODE);
    victimWebhookId = (
      await jsonOf(
        await victim.send('POST', '/v1/webhooks', {
          url: `${RECEIVER}/in`,
          eventTypes: ['plugin:error'],
        }),
      )
    ).id;
    await platform.settleAudit();
    const page = await jsonOf(await victim.send('GET', '/v1/events?limit=1'));
    expect(page.items).toHaveLength(1);
    victimCursor = page.cursor;
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it("answers the attacker's own, empty feed: none of the victim's events", async () => {
    const page = await jsonOf(await attacker.send('GET', '/v1/events'));

    expect(page.items).toEqual([]);
    expect(JSON.stringify(page)).not.toContain('victim-plugin');
  });

  it("refuses the victim's cursor replayed by the attacker", async () => {
    await expectInvalidAfter(
      await attacker.send('GET', `/v1/events?after=${encodeURIComponent(victimCursor)}`),
    );
  });

  it('refuses an edited cursor and a forged one', async () => {
    const [version, , mac] = victimCursor.split('.');
    const edited = `${version}.${Buffer.from('0').toString('base64url')}.${mac}`;
    const forged = `v1.${Buffer.from('0').toString('base64url')}.${Buffer.alloc(32, 1).toString('base64url')}`;

    await expectInvalidAfter(await victim.send('GET', `/v1/events?after=${encodeURIComponent(edited)}`));
    await expectInvalidAfter(await attacker.send('GET', `/v1/events?after=${encodeURIComponent(forged)}`));
    await expectInvalidAfter(await attacker.send('GET', '/v1/events?after=not-a-cursor'));
  });

  it("neither lists nor removes the victim's webhooks", async () => {
    const listed = await jsonOf(await attacker.send('GET', '/v1/webhooks'));
    const removal = await attacker.send('DELETE', `/v1/webhooks/${victimWebhookId}`);

    expect(listed.items).toEqual([]);
    expect(removal.status).toBe(404);
    expect(await jsonOf(removal)).toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
    const still = await jsonOf(await victim.send('GET', '/v1/webhooks'));
    expect(still.items.map((webhook: { id: string }) => webhook.id)).toEqual([victimWebhookId]);
  });
});

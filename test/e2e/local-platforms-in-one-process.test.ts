import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { complianceLogObjects, connectTenant, type E2eTenant } from '../support/e2e-tenant.ts';
import { startLocalPlatformInProcess } from '../support/local-platform-in-process.ts';
import { jsonOf, type RunningPlatform } from '../support/local-platform-process.ts';

const ECHO = 'export default { execute(input) { return { echo: input }; } };';

/**
 * Each local platform is one instance of config, stand-ins, execution pool and bus: nothing is a
 * module-level singleton or a process environment variable, so two of them share nothing.
 */
describe('two local platforms in one process', () => {
  const environmentBefore = { ...process.env };
  let first: RunningPlatform;
  let second: RunningPlatform;
  let firstTenant: E2eTenant;
  let secondTenant: E2eTenant;

  beforeAll(async () => {
    first = await startLocalPlatformInProcess();
    second = await startLocalPlatformInProcess();
    firstTenant = await connectTenant(first, 't-acme');
    secondTenant = await connectTenant(second, 't-acme');
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([first?.stop(), second?.stop()]);
  });

  it('leaves the process environment as it found it', () => {
    expect(process.env).toEqual(environmentBefore);
  });

  it('keeps a plugin installed and enabled on one out of the other', async () => {
    await firstTenant.installEnabled('only-on-first', ECHO);

    const onFirst = await firstTenant.send('GET', '/v1/plugins/only-on-first');
    const onSecond = await secondTenant.send('GET', '/v1/plugins/only-on-first');
    const secondList = await secondTenant.send('GET', '/v1/plugins');

    expect(onFirst.status).toBe(200);
    expect((await jsonOf(onFirst)).state).toBe('enabled');
    expect(onSecond.status).toBe(404);
    expect(await jsonOf(secondList)).toEqual({ items: [] });
    expect((await secondTenant.invoke('only-on-first')).status).toBe(404);
  });

  it('runs each one’s plugins on its own execution workers', async () => {
    await secondTenant.installEnabled('only-on-second', ECHO);

    const fromFirst = await firstTenant.invoke('only-on-first', { n: 1 });
    const fromSecond = await secondTenant.invoke('only-on-second', { n: 2 });

    expect(fromFirst.status).toBe(200);
    expect((await jsonOf(fromFirst)).value).toEqual({ echo: { n: 1 } });
    expect(fromSecond.status).toBe(200);
    expect((await jsonOf(fromSecond)).value).toEqual({ echo: { n: 2 } });
  }, 60_000);

  it('writes each one’s events to its own compliance log, through its own bus', async () => {
    // What happened to the plugin there: a request the other platform refused (its record names
    // the plugin it asked for) is that platform's own record, not a leak.
    const mentions = (platform: RunningPlatform, pluginId: string) =>
      complianceLogObjects(platform).filter((file) => {
        const text = readFileSync(file, 'utf8');
        return (
          text.includes(pluginId) &&
          !text.includes('"outcome":"refused"') &&
          !text.includes('"detail-type":"audit:api:request"')
        );
      }).length;

    // Entries reach the bus from the outbox through each platform's own stream poller: eventually.
    await vi.waitFor(
      () => {
        expect(mentions(first, 'only-on-first')).toBeGreaterThan(0);
        expect(mentions(second, 'only-on-second')).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(mentions(second, 'only-on-first')).toBe(0);
    expect(mentions(first, 'only-on-second')).toBe(0);
  });

  it('keeps the other serving, invoke included, when one stops', async () => {
    await first.stop();

    const health = await fetch(`${second.url}/health`);
    const invoked = await secondTenant.invoke('only-on-second', { n: 3 });

    await expect(fetch(`${first.url}/health`)).rejects.toThrow();
    expect(health.status).toBe(200);
    expect(invoked.status).toBe(200);
    expect((await jsonOf(invoked)).value).toEqual({ echo: { n: 3 } });
  }, 60_000);
});

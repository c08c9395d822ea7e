import { describe, expect, it } from 'vitest';
import { PluginMarketplaceService, PluginService } from '../../shared/client/index.ts';
import { anInstallation } from '../support/installation-factory.ts';
import { json, scriptedFetch } from '../support/scripted-fetch.ts';

/**
 * The attack: an id taken from elsewhere (a webhook payload, a UI field) is `..`, `.` or holds
 * slashes, so that `/v1/plugins/{id}/enable` resolves to another route of the API (`/v1/enable`,
 * `/v1/plugins/other/uninstall`) with the integrator's admin token. Each parameter must fill
 * exactly one path segment of the route the method names, or the call is refused before sending.
 */
describe('an id that would move the call to another route', () => {
  it('refuses dot segments before anything is sent', async () => {
    const server = scriptedFetch();
    const plugins = new PluginService({
      endpoint: 'https://plugins.example.test',
      token: 't',
      fetch: server.fetch,
    });

    const dotDot = await plugins.enablePlugin('..').catch((error: unknown) => error);
    const dot = await plugins.uninstallPlugin('.').catch((error: unknown) => error);

    expect(dotDot).toBeInstanceOf(TypeError);
    expect(dot).toBeInstanceOf(TypeError);
    expect(server.sent).toEqual([]);
  });

  it('keeps slashes, encoded dots and query characters inside their one segment', async () => {
    const server = scriptedFetch(
      json(200, anInstallation()),
      json(200, anInstallation()),
      json(200, anInstallation()),
      json(201, anInstallation()),
    );
    const options = { endpoint: 'https://plugins.example.test', token: 't', fetch: server.fetch };
    const plugins = new PluginService(options);
    const market = new PluginMarketplaceService(options);

    await plugins.enablePlugin('../../v1/tenant/policy');
    await plugins.disablePlugin('%2e%2e');
    await plugins.getPlugin('p1?state=enabled#x');
    await market.downloadAndInstall('a/../b', '1.0.0/../../x');

    expect(server.sent.map((request) => request.url.pathname)).toEqual([
      '/v1/plugins/..%2F..%2Fv1%2Ftenant%2Fpolicy/enable',
      '/v1/plugins/%252e%252e/disable',
      '/v1/plugins/p1%3Fstate%3Denabled%23x',
      '/v1/marketplace/plugins/a%2F..%2Fb/versions/1.0.0%2F..%2F..%2Fx/install',
    ]);
    expect(server.sent.every((request) => request.url.search === '')).toBe(true);
  });
});

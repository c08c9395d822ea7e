import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GradiantApiError, PluginService } from '../../shared/client/index.ts';

/**
 * The attack: whoever can make the API's origin answer a redirect (a misrouted proxy, a hijacked
 * path on a shared host) points the SDK's call elsewhere, hoping it follows with the tenant's
 * bearer token and body (fetch follows redirects by default, and a 303 turns a POST into a GET).
 * The SDK never follows: the redirect is the answer, as an error, and nothing reaches the target.
 */
describe('a redirect that would carry the token elsewhere', () => {
  let api: Server;
  let elsewhere: Server;
  const reachedElsewhere: IncomingHttpHeaders[] = [];
  let apiUrl: string;

  const listen = async (server: Server) => {
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    elsewhere = createServer((request, response) => {
      reachedElsewhere.push(request.headers);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    });
    const target = await listen(elsewhere);
    api = createServer((request, response) => {
      const status = request.method === 'POST' ? 303 : 307;
      response.writeHead(status, { location: `${target}${request.url}` }).end();
    });
    apiUrl = await listen(api);
  });

  afterAll(async () => {
    await Promise.all([api, elsewhere].map((server) => new Promise((closed) => server?.close(closed))));
  });

  it('answers the redirect as an error, sending nothing to its target', async () => {
    const plugins = new PluginService({
      endpoint: apiUrl,
      token: 'tenant-secret-token',
      retry: { attempts: 3 },
    });

    const listed = await plugins
      .listPlugins()
      .toArray()
      .catch((error: unknown) => error);
    const installed = await plugins
      .installPlugin({ id: 'p1', version: '1.0.0', code: 'export default {}', metadata: {} })
      .catch((error: unknown) => error);

    expect(listed).toBeInstanceOf(GradiantApiError);
    expect(listed).toMatchObject({ status: 307, code: 'UNRECOGNISED_RESPONSE' });
    expect(installed).toMatchObject({ status: 303 });
    expect(reachedElsewhere).toEqual([]);
    expect(String((listed as Error).message)).not.toContain('tenant-secret-token');
  });
});

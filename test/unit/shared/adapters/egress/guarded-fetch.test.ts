import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedFetch } from '../../../../../shared/adapters/egress/guarded-fetch.ts';
import { isPrivateAddress } from '../../../../../shared/adapters/egress/private-addresses.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '[::ffff:10.0.0.1]',
    '::ffff:169.254.169.254',
    '::ffff:0:7f00:1',
    '::7f00:1',
    '::',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::a00:1',
    '2002:a9fe:a9fe::',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:db8::1',
    'fe80::1%eth0',
    '192.0.2.10',
    'not-an-address',
    '',
  ])('blocks %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '93.184.216.34',
    '2606:2800:220:1:248:1893:25c8:1946',
    '8.8.8.8',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('admits the public address %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe('createGuardedFetch', () => {
  const strict = createGuardedFetch({ maxResponseBytes: 1024, timeoutMs: 2_000 });

  it.each([
    ['plain http', 'http://api.example.com/'],
    ['a loopback literal', 'https://127.0.0.1/'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/'],
    ['localhost', 'https://localhost/'],
    ['an IPv6 loopback literal', 'https://[::1]/'],
    ['an IPv4-compatible loopback literal', 'https://[::7f00:1]/'],
    ['an IPv4-mapped metadata literal', 'https://[::ffff:169.254.169.254]/'],
    ['a NAT64 metadata literal', 'https://[64:ff9b::a9fe:a9fe]/'],
    ['a 6to4 metadata literal', 'https://[2002:a9fe:a9fe::]/'],
    ['a decimal loopback literal', 'https://2130706433/'],
    ['a subdomain of localhost', 'https://api.localhost/'],
  ])('refuses %s before connecting', async (_name, url) => {
    await expect(strict(url, { method: 'GET', headers: {} })).rejects.toMatchObject({
      code: 'PermissionDenied',
    });
  });

  describe('against a local server (private network allowed, as in the local platform)', () => {
    let server: Server;
    let base: string;
    const local = createGuardedFetch({ maxResponseBytes: 1024, timeoutMs: 500, allowPrivateNetwork: true });

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url === '/redirect') {
          response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        } else if (request.url === '/large') {
          response.end('x'.repeat(4096));
        } else if (request.url === '/slow') {
          setTimeout(() => response.end('late'), 2_000).unref();
        } else {
          let body = '';
          request.on('data', (chunk) => (body += chunk));
          request.on('end', () =>
            response.writeHead(200, { 'x-echo': request.method ?? '' }).end(`got:${body}`),
          );
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('sends the method and body and answers status, headers and text body', async () => {
      const response = await local(`${base}/echo`, { method: 'POST', headers: {}, body: 'hello' });

      expect(response).toMatchObject({ status: 200, body: 'got:hello', headers: { 'x-echo': 'POST' } });
    });

    it('connects to the address the resolver answered when it is allowed', async () => {
      const port = new URL(base).port;
      const resolve = ((_hostname: string, _options: unknown, callback: (...args: unknown[]) => void) =>
        callback(null, [{ address: '127.0.0.1', family: 4 }])) as never;
      const resolved = createGuardedFetch({
        maxResponseBytes: 1024,
        timeoutMs: 500,
        allowPrivateNetwork: true,
        resolve,
      });

      const response = await resolved(`http://partner.example:${port}/echo`, { method: 'GET', headers: {} });

      expect(response.status).toBe(200);
    });

    it('hands a redirect back instead of following it', async () => {
      const response = await local(`${base}/redirect`, { method: 'GET', headers: {} });

      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('http://169.254.169.254/');
    });

    it('refuses a response larger than the cap', async () => {
      await expect(local(`${base}/large`, { method: 'GET', headers: {} })).rejects.toMatchObject({
        code: 'QuotaExceeded',
      });
    });

    it('gives up on a server that does not answer in time', async () => {
      await expect(local(`${base}/slow`, { method: 'GET', headers: {} })).rejects.toMatchObject({
        message: 'the network call timed out',
      });
    });
  });
});

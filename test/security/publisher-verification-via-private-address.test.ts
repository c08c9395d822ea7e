import type { LookupAddress } from 'node:dns';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WellKnownPublisherProof } from '../../shared/adapters/egress/well-known-publisher-proof.ts';

/**
 * Attack: an admin is asked to verify a publisher whose domain resolves into the platform's own
 * network (the instance metadata service, loopback, a private range), hoping the proof fetch
 * reads it (SSRF). The guarded egress judges the resolved address before connecting, so the check
 * answers `address-not-allowed` and no request leaves; the local stand-in's loopback exception
 * covers `.localhost` names only, and only when the local setting names it.
 */
describe('security: publisher verification cannot fetch from private addresses', () => {
  let requests = 0;
  let origin = '';
  const server = createServer((_request, response) => {
    requests += 1;
    response.end('pub-acme');
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A DNS server that answers `address` for every name, and remembers what it was asked. */
  const hostileDns = (address: string) => {
    const asked: string[] = [];
    const resolve = ((hostname: string, _options: unknown, callback: (...args: unknown[]) => void) => {
      asked.push(hostname);
      const family = address.includes(':') ? 6 : 4;
      callback(null, [{ address, family }] satisfies LookupAddress[]);
    }) as never;
    return { asked, resolve };
  };

  it.each([
    '169.254.169.254',
    '127.0.0.1',
    '10.0.0.7',
    '172.16.3.4',
    '192.168.1.1',
    '::1',
    '::ffff:169.254.169.254',
    'fd00::1',
  ])('refuses a domain resolving to %s before any request is sent', async (address) => {
    const dns = hostileDns(address);
    // Even with the local stand-in configured: the domain is not a .localhost name.
    const proof = new WellKnownPublisherProof({
      resolve: dns.resolve,
      loopbackOrigin: origin,
      timeoutMs: 2000,
    });

    const outcome = await proof.check('acme-health.com', 'pub-acme');

    expect(outcome).toBe('address-not-allowed');
    expect(dns.asked).toEqual(['acme-health.com']);
    expect(requests).toBe(0);
  });

  it('refuses a .localhost domain when no local setting names the stand-in (as deployed)', async () => {
    const dns = hostileDns('127.0.0.1');
    const proof = new WellKnownPublisherProof({ resolve: dns.resolve, timeoutMs: 2000 });

    expect(await proof.check('demo.gradiant.localhost', 'pub-acme')).toBe('address-not-allowed');
    expect(requests).toBe(0);
  });
});

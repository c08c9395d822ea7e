import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WellKnownPublisherProof } from '../../../../../shared/adapters/egress/well-known-publisher-proof.ts';

/** The local stand-in path: a loopback web server, virtual-hosted by the Host header. */
describe('WellKnownPublisherProof', () => {
  const answers = new Map<string, (response: ServerResponse) => void>();
  const seen: { host: string | undefined; url: string | undefined }[] = [];
  const server = createServer((request, response) => {
    seen.push({ host: request.headers.host, url: request.url });
    const answer = answers.get(request.headers.host ?? '');
    if (answer) answer(response);
    else response.writeHead(404).end();
  });
  let proof: WellKnownPublisherProof;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    proof = new WellKnownPublisherProof({ loopbackOrigin: origin, timeoutMs: 500 });
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('finds a file holding the publisher id, trimmed, at the well-known path of the domain', async () => {
    answers.set('acme.localhost', (response) => response.end('  pub-acme\n'));

    expect(await proof.check('acme.localhost', 'pub-acme')).toBe('found');
    expect(seen.at(-1)).toEqual({ host: 'acme.localhost', url: '/.well-known/gradiant-publisher.txt' });
  });

  it('refuses a file naming another publisher, a 404 and a redirect (never followed)', async () => {
    answers.set('other.localhost', (response) => response.end('pub-other'));
    answers.set('moved.localhost', (response) =>
      response.writeHead(302, { location: 'http://169.254.169.254/' }).end('pub-acme'),
    );

    expect(await proof.check('other.localhost', 'pub-acme')).toBe('not-found');
    expect(await proof.check('missing.localhost', 'pub-acme')).toBe('not-found');
    expect(await proof.check('moved.localhost', 'pub-acme')).toBe('not-found');
  });

  it('refuses a body over the size cap without reading it whole', async () => {
    answers.set('huge.localhost', (response) => response.end(`pub-acme${' '.repeat(64 * 1024)}`));

    expect(await proof.check('huge.localhost', 'pub-acme')).toBe('not-found');
  });

  it('answers unreachable when the server does not answer in time', async () => {
    answers.set('slow.localhost', () => {});

    expect(await proof.check('slow.localhost', 'pub-acme')).toBe('unreachable');
  });

  it('answers not-found for a name that does not exist, unreachable for a failing resolver', async () => {
    const failing = (code: string) =>
      new WellKnownPublisherProof({
        resolve: ((_host: string, _options: unknown, callback: (error: Error) => void) =>
          callback(Object.assign(new Error(code), { code }))) as never,
      });

    expect(await failing('ENOTFOUND').check('no-such-name.com', 'pub-acme')).toBe('not-found');
    expect(await failing('ESERVFAIL').check('broken-dns.com', 'pub-acme')).toBe('unreachable');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryAfterSeconds } from '../../../../../shared/adapters/fhir/fhir-http-client.ts';
import {
  createGuardedFhirTransport,
  FhirTransportError,
} from '../../../../../shared/adapters/fhir/fhir-transport.ts';
import { FakeFhirServer, fakeHttpClient, json, ManualClock } from '../../../../support/fake-fhir-server.ts';

const URL_ = 'https://ehr.example.org/fhir/R4/Patient/p1';

function setup(route: ConstructorParameters<typeof FakeFhirServer>[0]) {
  const clock = new ManualClock();
  const server = new FakeFhirServer(route);
  const sleeps: number[] = [];
  return { clock, server, sleeps, client: fakeHttpClient(server, clock, sleeps) };
}

describe('FhirHttpClient', () => {
  it('sends FHIR JSON with the FHIR accept header and parses the answer', async () => {
    const { server, client, clock } = setup(() => json(200, { resourceType: 'Patient', id: 'p1' }));

    const response = await client.send({ method: 'PUT', url: URL_, json: { a: 1 } }, clock.current + 10_000);

    expect(response.body).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(server.requests[0]?.headers).toMatchObject({
      accept: 'application/fhir+json',
      'content-type': 'application/fhir+json',
    });
    expect(server.requests[0]?.body).toBe('{"a":1}');
  });

  it('retries 5xx and network failures with growing backoff, then answers', async () => {
    let calls = 0;
    const { client, clock, sleeps } = setup(() => {
      calls += 1;
      if (calls === 1) return json(503);
      if (calls === 2) return new FhirTransportError('network');
      return json(200, { ok: true });
    });

    const response = await client.send({ method: 'GET', url: URL_ }, clock.current + 60_000);

    expect(response.status).toBe(200);
    expect(sleeps).toEqual([100, 200]);
  });

  it('does not send a create again after a failure it may have carried out, but does after 503', async () => {
    const failing = setup(() => json(500));
    const lost = setup(() => new FhirTransportError('network'));
    let calls = 0;
    const busy = setup(() => (++calls === 1 ? json(503) : json(201)));

    const failed = await failing.client.send(
      { method: 'POST', url: URL_, json: {} },
      failing.clock.current + 60_000,
    );
    await expect(
      lost.client.send({ method: 'POST', url: URL_, json: {} }, lost.clock.current + 60_000),
    ).rejects.toMatchObject({ code: 'EHR_UNAVAILABLE' });
    const created = await busy.client.send(
      { method: 'POST', url: URL_, json: {} },
      busy.clock.current + 60_000,
    );

    expect(failed.status).toBe(500);
    expect(failing.server.requests).toHaveLength(1);
    expect(lost.server.requests).toHaveLength(1);
    expect(created.status).toBe(201);
  });

  it('waits at least what Retry-After asks on a 429', async () => {
    let calls = 0;
    const { client, clock, sleeps } = setup(() =>
      ++calls === 1 ? json(429, undefined, { 'Retry-After': '3' }) : json(200),
    );

    await client.send({ method: 'GET', url: URL_ }, clock.current + 60_000);

    expect(sleeps).toEqual([3000]);
  });

  it('stops retrying when the wait would pass the deadline and answers the last status', async () => {
    const { client, clock, server } = setup(() => json(429, undefined, { 'retry-after': '30' }));

    const response = await client.send({ method: 'GET', url: URL_ }, clock.current + 5_000);

    expect(response.status).toBe(429);
    expect(response.retryAfterSeconds).toBe(30);
    expect(server.requests).toHaveLength(1);
  });

  it('bounds each attempt by the time left before the deadline', async () => {
    const { client, clock, server } = setup(() => json(200));

    await client.send({ method: 'GET', url: URL_ }, clock.current + 1_234);

    expect(server.requests[0]?.timeoutMs).toBe(1_234);
  });

  it('gives up after the attempts allowed and fails unavailable on network errors', async () => {
    const { client, clock, server } = setup(() => new FhirTransportError('network'));

    await expect(client.send({ method: 'GET', url: URL_ }, clock.current + 60_000)).rejects.toMatchObject({
      code: 'EHR_UNAVAILABLE',
      message: 'The EHR could not be reached (unreachable).',
    });
    expect(server.requests).toHaveLength(4);
  });

  it('fails timed out without sending once the deadline has passed', async () => {
    const { client, clock, server } = setup(() => json(200));

    await expect(client.send({ method: 'GET', url: URL_ }, clock.current)).rejects.toMatchObject({
      message: 'The EHR could not be reached (timed out).',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('does not retry a refused address or an oversized answer', async () => {
    const refused = setup(() => new FhirTransportError('address-not-allowed'));
    const large = setup(() => new FhirTransportError('too-large'));

    await expect(
      refused.client.send({ method: 'GET', url: URL_ }, refused.clock.current + 60_000),
    ).rejects.toMatchObject({
      message: 'The EHR could not be reached (address not allowed).',
    });
    await expect(
      large.client.send({ method: 'GET', url: URL_ }, large.clock.current + 60_000),
    ).rejects.toMatchObject({
      message: 'The EHR could not be reached (response too large).',
    });
    expect(refused.server.requests).toHaveLength(1);
    expect(large.server.requests).toHaveLength(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');

    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Wed, 02 Dec 2026 10:00:10 GMT', now)).toBe(10);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});

describe('the guarded FHIR transport', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.setHeader('content-type', 'application/fhir+json');
      response.end(request.url === '/large' ? 'x'.repeat(5_000) : '{"resourceType":"CapabilityStatement"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reaches an allowed loopback origin over plain http', async () => {
    const transport = createGuardedFhirTransport({
      maxResponseBytes: 1_000,
      allowedLoopbackOrigins: [origin],
    });

    const response = await transport(`${origin}/metadata`, { method: 'GET', headers: {} }, 2_000);

    expect(response.status).toBe(200);
  });

  it('refuses loopback, private and metadata addresses and plain http otherwise', async () => {
    const transport = createGuardedFhirTransport({
      maxResponseBytes: 1_000,
      allowedLoopbackOrigins: [origin],
    });
    const otherPort = `http://127.0.0.1:${Number(new URL(origin).port) + 1}/metadata`;

    for (const url of [
      otherPort,
      'https://127.0.0.1/metadata',
      'https://169.254.169.254/latest',
      'https://10.0.0.8/fhir',
      'http://ehr.example.org/fhir',
      'https://localhost/fhir',
    ]) {
      await expect(transport(url, { method: 'GET', headers: {} }, 2_000)).rejects.toMatchObject({
        failure: 'address-not-allowed',
      });
    }
  });

  it('fails an answer over the size cap', async () => {
    const transport = createGuardedFhirTransport({
      maxResponseBytes: 1_000,
      allowedLoopbackOrigins: [origin],
    });

    await expect(transport(`${origin}/large`, { method: 'GET', headers: {} }, 2_000)).rejects.toMatchObject({
      failure: 'too-large',
    });
  });
});

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Appointment, Subscription } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FhirBase } from '../../../../../../apps/local-platform/stand-ins/fhir/fhir-base.ts';
import {
  type LocalFhirServer,
  startLocalFhirServer,
} from '../../../../../../apps/local-platform/stand-ins/fhir/local-fhir-server.ts';
import { connectClient, generateSigningKey, serveJwks } from '../../../../../support/smart-backend-client.ts';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/** A loopback receiver that fails its first `failures` deliveries, as a busy platform might. */
async function startReceiver(failures: number) {
  const received: Received[] = [];
  let refused = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (refused < failures) {
        refused += 1;
        response.writeHead(503).end();
        return;
      }
      received.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/ehr/notifications/t-acme`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the local FHIR stand-in: R4 rest-hook subscriptions', () => {
  let server: LocalFhirServer;
  let acme: FhirBase;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let call: Awaited<ReturnType<typeof connectClient>>;

  beforeAll(async () => {
    const key = await generateSigningKey('ES384');
    jwks = await serveJwks(() => [key]);
    receiver = await startReceiver(1);
    server = await startLocalFhirServer();
    acme = server.addBase('t-acme');
    await acme.seed([{ resourceType: 'Patient', id: 'p-001', name: [{ family: 'Stubbs' }] }]);
    call = await connectClient(acme, {
      key,
      jwksUrl: jwks.url,
      scopes: ['system/Patient.rs', 'system/Appointment.cruds', 'system/Subscription.cru'],
    });
  });

  afterAll(async () => {
    await server?.close();
    await jwks?.close();
    await receiver?.close();
  });

  it('activates a requested rest-hook subscription and notifies a matching write with its header and an id-only body', async () => {
    const subscriptionResponse = await call('Subscription', {
      method: 'POST',
      body: {
        resourceType: 'Subscription',
        status: 'requested',
        reason: 'platform events',
        criteria: 'Appointment?status=booked',
        channel: {
          type: 'rest-hook',
          endpoint: receiver.url,
          payload: 'application/fhir+json',
          header: ['X-Subscription-Secret: s3cret-value'],
        },
      },
    });
    const subscription = (await subscriptionResponse.json()) as Subscription;

    const created = (await (
      await call('Appointment', {
        method: 'POST',
        body: {
          resourceType: 'Appointment',
          status: 'booked',
          participant: [{ actor: { reference: 'Patient/p-001' }, status: 'accepted' }],
        },
      })
    ).json()) as Appointment;
    await call('Appointment', {
      method: 'POST',
      body: { resourceType: 'Appointment', status: 'proposed', participant: [] },
    });
    await acme.flushNotifications();

    expect(subscriptionResponse.status).toBe(201);
    expect(subscription.status).toBe('active');
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.headers['x-subscription-secret']).toBe('s3cret-value');
    expect(delivery?.headers['content-type']).toBe('application/fhir+json');
    expect(delivery?.body).toMatchObject({
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        {
          fullUrl: expect.stringMatching(/^urn:uuid:/),
          resource: {
            resourceType: 'Parameters',
            parameter: [
              { name: 'subscription', valueReference: { reference: `Subscription/${subscription.id}` } },
              { name: 'type', valueCode: 'event-notification' },
              {
                name: 'notification-event',
                part: [
                  {
                    name: 'focus',
                    valueReference: {
                      reference: `Appointment/${created.id}/_history/${created.meta?.versionId}`,
                    },
                  },
                ],
              },
            ],
          },
        },
        {
          fullUrl: `${acme.baseUrl}/Appointment/${created.id}`,
          request: { method: 'POST', url: `Appointment/${created.id}` },
        },
      ],
    });
    expect(JSON.stringify(delivery?.body)).not.toContain('Patient/p-001');
    expect(acme.notifications).toEqual([
      expect.objectContaining({ subscriptionId: subscription.id, delivered: true, attempts: 2, status: 202 }),
    ]);
  });

  it('notifies an update with method PUT and the new version', async () => {
    const before = receiver.received.length;
    const bundle = (await (await call('Appointment?status=booked')).json()) as {
      entry: { resource: Appointment }[];
    };
    const appointment = bundle.entry[0]?.resource as Appointment;

    const updated = (await (
      await call(`Appointment/${appointment.id}`, {
        method: 'PUT',
        body: { ...appointment, start: '2026-04-01T10:00:00Z', end: '2026-04-01T10:30:00Z' },
        headers: { 'if-match': `W/"${appointment.meta?.versionId}"` },
      })
    ).json()) as Appointment;
    await acme.flushNotifications();

    const delivery = receiver.received[before];
    expect(receiver.received).toHaveLength(before + 1);
    expect(JSON.stringify(delivery?.body)).toContain(
      `Appointment/${updated.id}/_history/${updated.meta?.versionId}`,
    );
    expect(delivery?.body).toMatchObject({ entry: [{}, { request: { method: 'PUT' } }] });
  });
});

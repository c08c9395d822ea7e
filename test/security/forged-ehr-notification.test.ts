import { describe, expect, it } from 'vitest';
import { ehrNotificationsHandlerFor } from '../../functions/ehr-notifications/wiring.ts';
import { handleEhrNotification } from '../../shared/services/ehr/handle-ehr-notification.ts';
import { httpEvent } from '../support/api-gateway-events.ts';
import {
  ACME,
  ACME_BASE,
  ACME_SECRET,
  GLOBEX,
  GLOBEX_SECRET,
  notificationBundle,
  notificationHarness,
} from '../support/ehr-notification-harness.ts';

/**
 * Someone who is not the tenant's EHR posts notifications to make the platform fire data events
 * (plugins act on them), or to make it fetch records from a server the attacker controls.
 */
describe('a forged EHR notification', () => {
  const post = (
    harness: ReturnType<typeof notificationHarness>,
    tenantId: string,
    secret: string,
    body: unknown,
  ) =>
    ehrNotificationsHandlerFor(harness.deps)(
      httpEvent('POST /v1/ehr/notifications/{tenantId}', {
        path: `/v1/ehr/notifications/${tenantId}`,
        pathParameters: { tenantId },
        headers: { 'x-gradiant-notification-secret': secret, 'content-type': 'application/fhir+json' },
        body,
      }),
      {} as never,
    );

  it('with a wrong secret: 401, nothing read, no event', async () => {
    const harness = notificationHarness();
    harness.ehr.setPatient(ACME, { id: 'p-1', versionId: '1' });

    const response = await post(harness, ACME, `${ACME_SECRET}x`, notificationBundle(['Patient/p-1']));

    expect(response.statusCode).toBe(401);
    expect(harness.ehr.reads).toEqual([]);
    expect(harness.outbox.events()).toEqual([]);
  });

  it("with another tenant's secret: 401, neither tenant's EHR read", async () => {
    const harness = notificationHarness();
    harness.ehr.setPatient(ACME, { id: 'p-1', versionId: '1' });

    const response = await post(harness, ACME, GLOBEX_SECRET, notificationBundle(['Patient/p-1']));

    expect(response.statusCode).toBe(401);
    expect(harness.ehr.reads).toEqual([]);
    expect(harness.outbox.events()).toEqual([]);
  });

  it("with a valid secret, names records only in its own tenant's EHR", async () => {
    const harness = notificationHarness();
    harness.ehr.setPatient(ACME, { id: 'p-1', versionId: '1' });

    await post(
      harness,
      GLOBEX,
      GLOBEX_SECRET,
      notificationBundle([`${ACME_BASE}/Patient/p-1`, 'Patient/p-1']),
    );

    expect(harness.ehr.reads).toEqual(['t-globex/Patient/p-1']);
    expect(harness.outbox.events()).toEqual([]);
  });

  it('pointing outside the tenant base: the reference is ignored, never fetched', async () => {
    const harness = notificationHarness();

    const receipt = await handleEhrNotification(
      {
        tenantId: ACME,
        secret: ACME_SECRET,
        body: notificationBundle([
          'https://attacker.example/fhir/R4/Patient/p-1',
          'http://169.254.169.254/latest/meta-data/Patient/p-2',
          'https://ehr.acme.example.attacker.example/fhir/R4/Patient/p-3',
        ]),
      },
      harness.deps,
    );

    expect(receipt).toMatchObject({ references: 0, events: 0 });
    expect(harness.ehr.reads).toEqual([]);
  });

  it('replayed with the secret: the version is already claimed, nothing fires twice', async () => {
    const harness = notificationHarness();
    harness.ehr.setAppointment(ACME, {
      id: 'a-1',
      versionId: '5',
      status: 'cancelled',
      start: '2026-12-03T09:00:00Z',
      end: '2026-12-03T09:30:00Z',
    });
    const body = notificationBundle(['Appointment/a-1/_history/5']);

    const answers = [];
    for (let attempt = 0; attempt < 5; attempt += 1)
      answers.push(await post(harness, ACME, ACME_SECRET, body));

    expect(answers.map((answer) => answer.statusCode)).toEqual([202, 202, 202, 202, 202]);
    expect(harness.outbox.events().map((event) => event.name)).toEqual(['appointment:cancelled']);
  });

  it('carrying a forged resource body: its content is never used, the EHR is re-read', async () => {
    const harness = notificationHarness();
    harness.ehr.setAppointment(ACME, { id: 'a-1', versionId: '1', status: 'booked' });

    await handleEhrNotification(
      {
        tenantId: ACME,
        secret: ACME_SECRET,
        body: { resourceType: 'Appointment', id: 'a-1', status: 'cancelled' },
      },
      harness.deps,
    );

    expect(harness.outbox.events().map((event) => event.name)).toEqual(['appointment:scheduled']);
  });
});

import { describe, expect, it } from 'vitest';
import { hasErrorCode } from '../../../../../shared/domain/errors/domain-error.ts';
import { ehrUnavailable } from '../../../../../shared/domain/errors/ehr-errors.ts';
import type { UsageCounters } from '../../../../../shared/sandbox/usage-counters.ts';
import { handleEhrNotification } from '../../../../../shared/services/ehr/handle-ehr-notification.ts';
import {
  ACME,
  ACME_SECRET,
  notificationBundle,
  notificationHarness,
} from '../../../../support/ehr-notification-harness.ts';

const NINE = { start: '2026-12-03T09:00:00Z', end: '2026-12-03T09:30:00Z' };
const TEN = { start: '2026-12-03T10:00:00Z', end: '2026-12-03T10:30:00Z' };
const notify = (harness: ReturnType<typeof notificationHarness>, body: unknown) =>
  handleEhrNotification({ tenantId: ACME, secret: ACME_SECRET, body }, harness.deps);

describe('handleEhrNotification', () => {
  it('re-reads each named record and emits its event with ids only, caused by the EHR', async () => {
    const harness = notificationHarness();
    harness.ehr.setPatient(ACME, { id: 'p-1', versionId: '4', family: 'CANARY-PHI-NAME' });
    harness.ehr.setAppointment(ACME, {
      id: 'a-1',
      versionId: '1',
      status: 'booked',
      patientId: 'p-1',
      ...NINE,
    });

    const receipt = await notify(
      harness,
      notificationBundle(['Patient/p-1/_history/4', 'Appointment/a-1/_history/1']),
    );

    expect(receipt).toMatchObject({ kind: 'event-notification', references: 2, events: 2, duplicates: 0 });
    expect(harness.ehr.reads).toEqual(['t-acme/Patient/p-1', 't-acme/Appointment/a-1']);
    expect(harness.outbox.events().map((event) => [event.name, event.tenantId, event.detail])).toEqual([
      ['patient:updated', 't-acme', { patientId: 'p-1', causedBy: 'ehr:t-acme' }],
      ['appointment:scheduled', 't-acme', { appointmentId: 'a-1', patientId: 'p-1', causedBy: 'ehr:t-acme' }],
    ]);
    expect(harness.outbox.records).toEqual([
      expect.objectContaining({
        action: 'ehr:notification',
        outcome: 'success',
        actor: 'ehr:t-acme',
        resourceIds: ['p-1', 'a-1'],
      }),
    ]);
    expect(JSON.stringify(harness.outbox.entries)).not.toContain('CANARY-PHI-NAME');
  });

  it('emits nothing for a replayed notification or the same version seen twice', async () => {
    const harness = notificationHarness();
    harness.ehr.setPatient(ACME, { id: 'p-1', versionId: '4' });
    const body = notificationBundle(['Patient/p-1/_history/4']);

    await notify(harness, body);
    const replay = await notify(harness, body);
    const bare = await notify(harness, { resourceType: 'Patient', id: 'p-1' });

    expect(harness.outbox.events()).toHaveLength(1);
    expect(replay).toMatchObject({ events: 0, duplicates: 1 });
    expect(bare).toMatchObject({ events: 0, duplicates: 1 });
  });

  it('classifies against the last version seen: moved, then cancelled', async () => {
    const harness = notificationHarness();
    harness.ehr.setAppointment(ACME, { id: 'a-1', versionId: '1', status: 'booked', ...NINE });
    await notify(harness, notificationBundle(['Appointment/a-1']));
    harness.ehr.setAppointment(ACME, { id: 'a-1', versionId: '2', status: 'booked', ...TEN });
    await notify(harness, notificationBundle(['Appointment/a-1']));
    harness.ehr.setAppointment(ACME, { id: 'a-1', versionId: '3', status: 'cancelled', ...TEN });

    await notify(harness, notificationBundle(['Appointment/a-1']));

    expect(harness.outbox.events().map((event) => event.name)).toEqual([
      'appointment:scheduled',
      'appointment:rescheduled',
      'appointment:cancelled',
    ]);
  });

  it('emits nothing for a late notification of an older version: it re-reads the current one', async () => {
    const harness = notificationHarness();
    harness.ehr.setAppointment(ACME, { id: 'a-1', versionId: '3', status: 'booked', ...TEN });
    await notify(harness, notificationBundle(['Appointment/a-1/_history/3']));

    const late = await notify(harness, notificationBundle(['Appointment/a-1/_history/2']));

    expect(late).toMatchObject({ events: 0, duplicates: 1 });
    expect(harness.ledger.entries.get('t-acme/Appointment/a-1')?.versionId).toBe('3');
  });

  it('retries a claim that lost to a concurrent one, against the version that won', async () => {
    const harness = notificationHarness();
    harness.ehr.setAppointment(ACME, { id: 'a-1', versionId: '1', status: 'booked', ...NINE });
    harness.ledger.beforeClaim = () => {
      // Another instance claims v1 (with its event) between this one's read and its claim.
      harness.ledger.entries.set('t-acme/Appointment/a-1', {
        type: 'Appointment',
        id: 'a-1',
        versionId: '1',
        snapshot: { status: 'booked', ...NINE },
      });
    };

    const receipt = await notify(harness, notificationBundle(['Appointment/a-1']));

    expect(receipt).toMatchObject({ events: 0, duplicates: 1 });
    expect(harness.outbox.events()).toHaveLength(0);
  });

  it('answers pings and heartbeats without reading the EHR', async () => {
    const harness = notificationHarness();

    const ping = await notify(harness, undefined);
    const heartbeat = await notify(harness, notificationBundle([], { type: 'heartbeat' }));

    expect([ping.kind, heartbeat.kind]).toEqual(['ping', 'heartbeat']);
    expect(harness.ehr.reads).toEqual([]);
  });

  it('counts records the EHR no longer answers as gone', async () => {
    const harness = notificationHarness();

    const receipt = await notify(harness, notificationBundle(['Patient/deleted']));

    expect(receipt).toMatchObject({ gone: 1, events: 0 });
  });

  it('refuses a body that is no notification with VALIDATION_FAILED', async () => {
    const harness = notificationHarness();

    await expect(notify(harness, [1, 2, 3])).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'VALIDATION_FAILED'),
    );
  });

  it('rate limits each tenant per minute with RATE_LIMITED', async () => {
    const harness = notificationHarness(2);

    await notify(harness, undefined);
    await notify(harness, undefined);

    await expect(notify(harness, undefined)).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'RATE_LIMITED'),
    );
  });

  it('fails closed with NOTIFICATIONS_UNAVAILABLE when the counter store is down', async () => {
    const harness = notificationHarness();
    const down: UsageCounters = {
      consume: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
      release: () => Promise.resolve(),
    };

    const result = handleEhrNotification(
      { tenantId: ACME, secret: ACME_SECRET, body: notificationBundle(['Patient/p-1']) },
      { ...harness.deps, counters: down },
    );

    await expect(result).rejects.toSatisfy((error) => hasErrorCode(error, 'NOTIFICATIONS_UNAVAILABLE'));
    expect(harness.ehr.reads).toEqual([]);
  });

  it('records a failed re-read and rethrows it, so the EHR retries', async () => {
    const harness = notificationHarness();
    harness.ehr.failReads = ehrUnavailable('HTTP 503');

    await expect(notify(harness, notificationBundle(['Patient/p-1']))).rejects.toSatisfy((error) =>
      hasErrorCode(error, 'EHR_UNAVAILABLE'),
    );
    expect(harness.outbox.records).toEqual([
      expect.objectContaining({ action: 'ehr:notification', outcome: 'failure', code: 'EHR_UNAVAILABLE' }),
    ]);
  });
});

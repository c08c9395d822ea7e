import { beforeEach, describe, expect, it } from 'vitest';
import {
  ehrConflict,
  ehrNotConnected,
  ehrRateLimited,
  ehrRefused,
  ehrRejected,
  ehrUnavailable,
} from '../../../../../shared/domain/errors/ehr-errors.ts';
import type { TenantId } from '../../../../../shared/domain/identifiers.ts';
import { HostError } from '../../../../../shared/sandbox/errors.ts';
import {
  createPlatformHost,
  type PlatformHost,
} from '../../../../../shared/services/execution/platform-host.ts';
import { InMemoryEhrChangeLedger } from '../../../../support/fakes/in-memory-ehr-change-ledger.ts';
import { InMemoryEhrRepository } from '../../../../support/fakes/in-memory-ehr-repository.ts';
import { InMemoryOutbox } from '../../../../support/fakes/in-memory-outbox.ts';

const acme = 't-acme' as TenantId;
const CANARY = 'Canary McPhi-Patient';
const DEADLINE = Date.parse('2030-01-01T09:00:05.000Z');

describe('createPlatformHost', () => {
  let ehr: InMemoryEhrRepository;
  let outbox: InMemoryOutbox;
  let host: PlatformHost;
  let notRecorded: { name: string; id: string }[];

  beforeEach(async () => {
    ehr = new InMemoryEhrRepository();
    outbox = new InMemoryOutbox();
    notRecorded = [];
    let sequence = 0;
    host = createPlatformHost(
      { tenantId: acme, pluginId: 'scheduler', deadlineAt: DEADLINE },
      {
        ehr,
        outbox,
        clock: { now: () => new Date('2030-01-01T09:00:00.000Z') },
        ids: { next: () => `gen-${++sequence}` },
        auditRetry: { attempts: 3, baseDelayMs: 0 },
        onEventNotRecorded: (event) => notRecorded.push(event),
      },
    );
    await ehr.putPatient(acme, { id: 'p-1', name: CANARY, birthDate: '1980-01-01' });
    await ehr.putAppointment(acme, {
      id: 'a-1',
      patientId: 'p-1',
      start: '2030-01-02T10:00:00.000Z',
      end: '2030-01-02T10:30:00.000Z',
      status: 'booked',
    });
  });

  it('schedules as booked with the id the EHR assigns; its appointment:scheduled, ids only, is an outbox entry', async () => {
    const created = await host.appointments.schedule({
      patientId: 'p-1',
      start: '2030-01-03T10:00:00.000Z',
      end: '2030-01-03T11:00:00.000Z',
    });

    expect(created).toMatchObject({ id: 'appt-1', status: 'booked', patientId: 'p-1' });
    expect(outbox.entries).toEqual([
      {
        id: 'gen-1',
        name: 'appointment:scheduled',
        time: '2030-01-01T09:00:00.000Z',
        tenantId: 't-acme',
        detail: { appointmentId: 'appt-1', patientId: 'p-1', causedBy: 'plugin:scheduler' },
      },
    ]);
    expect(host.touchedPatientIds()).toEqual(['p-1']);
  });

  it('refuses to schedule for a patient that does not exist in the tenant', async () => {
    const attempt = host.appointments.schedule({
      patientId: 'p-404',
      start: '2030-01-03T10:00:00Z',
      end: '2030-01-03T11:00:00Z',
    });

    await expect(attempt).rejects.toMatchObject({ code: 'NotFound' });
    expect(outbox.entries).toHaveLength(0);
  });

  it('cancels with a reason and reschedules keeping the duration', async () => {
    const moved = await host.appointments.reschedule('a-1', '2030-02-01T08:15:00.000Z');
    const cancelled = await host.appointments.cancel('a-1', 'patient request');

    expect(moved).toMatchObject({ start: '2030-02-01T08:15:00.000Z', end: '2030-02-01T08:45:00.000Z' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellationReason: 'patient request' });
    expect(outbox.entries.map((event) => event.name)).toEqual([
      'appointment:rescheduled',
      'appointment:cancelled',
    ]);
  });

  it('refuses to reschedule a cancelled appointment', async () => {
    await host.appointments.cancel('a-1', undefined);

    await expect(host.appointments.reschedule('a-1', '2030-02-01T08:15:00.000Z')).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
  });

  it('updates a patient, records patient:updated in the outbox, and never echoes values in validation errors', async () => {
    const updated = await host.patients.update('p-1', { phone: '555-0100' });
    const invalid = host.patients.update('p-1', { id: 'p-2', name: CANARY.repeat(20) });

    expect(updated).toMatchObject({ phone: '555-0100' });
    expect(outbox.events('patient:updated')[0]?.detail).toEqual({
      patientId: 'p-1',
      causedBy: 'plugin:scheduler',
    });
    const error = await invalid.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).not.toContain('Canary');
  });

  it('answers not found for ids that are malformed or absent', async () => {
    expect(await host.patients.get('../p-1')).toBeUndefined();
    expect(await host.patients.get('p-404')).toBeUndefined();
    expect(await host.appointments.cancel('a-404', undefined)).toBeUndefined();
  });

  it('retries an append the outbox refuses once, so the data event is still recorded', async () => {
    outbox.failAppends = 1;

    await host.appointments.cancel('a-1', undefined);

    expect(outbox.events('appointment:cancelled')).toHaveLength(1);
    expect(notRecorded).toEqual([]);
  });

  it('fails the call Unavailable when the outbox keeps refusing its event; the write stands and is tallied', async () => {
    outbox.failAppends = 3;

    const attempt = host.patients.update('p-1', { phone: '555-0199' });

    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({
      code: 'Unavailable',
      message: expect.stringContaining('patient:updated gen-1'),
    });
    expect((error as HostError).message).not.toContain('555-0199');
    expect(ehr.patient(acme, 'p-1')?.phone).toBe('555-0199');
    expect(outbox.entries).toEqual([]);
    expect(notRecorded).toEqual([{ name: 'patient:updated', id: 'gen-1' }]);
    // The EHR changed: the run's record says so, with the patient it touched.
    expect(host.dataAccess.entries()).toEqual([
      { operation: 'patients.update', outcome: 'success', count: 1, patientIds: ['p-1'] },
    ]);
  });

  it('tallies each call by operation and outcome with the patient and appointment ids it touched', async () => {
    await ehr.putPatient(acme, { id: 'p-2', name: 'Another Canary', birthDate: '1990-01-01' });

    await host.patients.search({ name: 'Canary' });
    await host.patients.get('p-1');
    await host.patients.get('p-404');
    await host.appointments.cancel('a-1', undefined);
    await expect(host.patients.update('p-1', { name: '' })).rejects.toThrow(HostError);

    expect(host.dataAccess.entries()).toEqual([
      { operation: 'patients.search', outcome: 'success', count: 1, patientIds: ['p-1', 'p-2'] },
      { operation: 'patients.get', outcome: 'success', count: 2, patientIds: ['p-1'] },
      {
        operation: 'appointments.cancel',
        outcome: 'success',
        count: 1,
        patientIds: ['p-1'],
        appointmentIds: ['a-1'],
      },
      { operation: 'patients.update', outcome: 'failure', count: 1 },
    ]);
    expect(host.touchedPatientIds().sort()).toEqual(['p-1', 'p-2']);
    expect(JSON.stringify(host.dataAccess.entries())).not.toContain(CANARY);
  });

  it('passes the run deadline with every EHR call', async () => {
    await host.patients.get('p-1');
    await host.appointments.cancel('a-1', undefined);

    expect(ehr.scopes).toEqual([
      { tenantId: acme, deadlineAt: DEADLINE },
      { tenantId: acme, deadlineAt: DEADLINE },
    ]);
  });

  it('refuses to schedule as invalid when the EHR rejects it for a patient that exists', async () => {
    ehr.failNext = ehrRejected(422);

    const attempt = host.appointments.schedule({
      patientId: 'p-1',
      start: '2030-01-03T10:00:00Z',
      end: '2030-01-03T11:00:00Z',
    });

    await expect(attempt).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: expect.stringContaining('422'),
    });
  });

  it('refuses to reschedule an appointment without a start and end, and writes nothing', async () => {
    await ehr.putAppointment(acme, { id: 'a-2', patientId: 'p-1', status: 'proposed' });

    await expect(host.appointments.reschedule('a-2', '2030-02-01T08:15:00.000Z')).rejects.toMatchObject({
      code: 'InvalidArgument',
    });
    expect(ehr.appointment(acme, 'a-2')?.versionId).toBeUndefined();
    expect(outbox.entries).toEqual([]);
  });

  it.each([
    [ehrNotConnected(), 'NotConnected'],
    [ehrConflict('Patient/p-1'), 'Conflict'],
    [ehrRateLimited(30), 'RateLimited'],
    [ehrUnavailable('HTTP 503'), 'Unavailable'],
    [ehrRefused(403), 'Unavailable'],
    [ehrRejected(400), 'InvalidArgument'],
  ] as const)('turns %s into a %s HostError for the plugin', async (failure, code) => {
    ehr.failNext = failure;

    const error = await host.patients.update('p-1', { phone: '555-0100' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ code, message: failure.message });
    expect(outbox.entries).toEqual([]);
  });

  describe('with the change ledger the EHR notifications share', () => {
    const hostWithLedger = (ledger: InMemoryEhrChangeLedger) =>
      createPlatformHost(
        { tenantId: acme, pluginId: 'scheduler', deadlineAt: DEADLINE },
        {
          ehr,
          outbox,
          clock: { now: () => new Date('2030-01-01T09:00:00.000Z') },
          ids: { next: () => 'evt-1' },
          changes: ledger,
        },
      );

    it('commits a write’s event with the claim of the version it wrote', async () => {
      const ledger = new InMemoryEhrChangeLedger(outbox);

      const moved = (await hostWithLedger(ledger).appointments.reschedule(
        'a-1',
        '2030-01-05T08:00:00.000Z',
      )) as {
        versionId: string;
      };

      expect(outbox.entries.map((entry) => entry.name)).toEqual(['appointment:rescheduled']);
      expect((await ledger.lastSeen(acme, 'Appointment', 'a-1'))?.versionId).toBe(moved.versionId);
    });

    it('emits nothing when the EHR’s notification of that very version was claimed first', async () => {
      const ledger = new InMemoryEhrChangeLedger(outbox);
      const plugin = hostWithLedger(ledger);
      // The notification wins the race to the ledger with the version the plugin's write makes next.
      ledger.beforeClaim = () => {
        const version = ehr.patient(acme, 'p-1')?.versionId ?? '';
        ledger.entries.set(`${acme}/Patient/p-1`, { type: 'Patient', id: 'p-1', versionId: version });
      };

      await plugin.patients.update('p-1', { family: 'Y' });

      expect(outbox.entries).toEqual([]);
      expect((await ledger.lastSeen(acme, 'Patient', 'p-1'))?.versionId).toBe(
        ehr.patient(acme, 'p-1')?.versionId,
      );
    });
  });
});

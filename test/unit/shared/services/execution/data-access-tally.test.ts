import { describe, expect, it } from 'vitest';
import { AuditedDataAccessSchema, MAX_AUDITED_IDS } from '../../../../../shared/domain/platform-events.ts';
import { DataAccessTally } from '../../../../../shared/services/execution/data-access-tally.ts';

describe('DataAccessTally', () => {
  it('records a search with every patient it touched', async () => {
    const tally = new DataAccessTally();

    await tally.call('patients.search', async (touched) => {
      for (const id of ['p-1', 'p-2', 'p-3']) touched.patient(id);
      return [];
    });

    expect(tally.entries()).toEqual([
      { operation: 'patients.search', outcome: 'success', count: 1, patientIds: ['p-1', 'p-2', 'p-3'] },
    ]);
  });

  it('coalesces calls by operation and outcome, counting them and keeping each id once', async () => {
    const tally = new DataAccessTally();

    for (const id of ['p-1', 'p-2', 'p-1']) {
      await tally.call('patients.get', async (touched) => touched.patient(id));
    }
    await tally
      .call('patients.get', async () => {
        throw new Error('not valid');
      })
      .catch(() => undefined);
    await tally.call('appointments.cancel', async (touched) => {
      touched.patient('p-2');
      touched.appointment('a-1');
    });

    expect(tally.entries()).toEqual([
      { operation: 'patients.get', outcome: 'success', count: 3, patientIds: ['p-1', 'p-2'] },
      { operation: 'patients.get', outcome: 'failure', count: 1 },
      {
        operation: 'appointments.cancel',
        outcome: 'success',
        count: 1,
        patientIds: ['p-2'],
        appointmentIds: ['a-1'],
      },
    ]);
  });

  it('records a failed call with the ids it touched before it failed, and rethrows', async () => {
    const tally = new DataAccessTally();

    const call = tally.call('appointments.schedule', async (touched) => {
      touched.patient('p-9');
      throw new Error('appointment exists');
    });

    await expect(call).rejects.toThrow('appointment exists');
    expect(tally.entries()).toEqual([
      { operation: 'appointments.schedule', outcome: 'failure', count: 1, patientIds: ['p-9'] },
    ]);
  });

  it('names the permission a denied call lacked, with the count the sandbox reported', () => {
    const tally = new DataAccessTally();

    tally.denied('patients.update', 'write:patients', 7);
    tally.denied('patients.update', 'write:patients', 2);

    expect(tally.entries()).toEqual([
      { operation: 'patients.update', outcome: 'refused', count: 9, deniedPermission: 'write:patients' },
    ]);
  });

  it(`caps the ids of one entry at ${MAX_AUDITED_IDS}, and its entries pass the audit schema`, async () => {
    const tally = new DataAccessTally();

    await tally.call('patients.search', async (touched) => {
      for (let n = 0; n < MAX_AUDITED_IDS + 50; n++) touched.patient(`p-${n}`);
    });
    tally.served('events.emit', 2);
    tally.served('events.emit', 0);

    const [search, emitted, ...rest] = tally.entries();
    expect(search?.patientIds).toHaveLength(MAX_AUDITED_IDS);
    expect(emitted).toEqual({ operation: 'events.emit', outcome: 'success', count: 2 });
    expect(rest).toEqual([]);
    for (const entry of tally.entries()) expect(AuditedDataAccessSchema.parse(entry)).toEqual(entry);
  });
});

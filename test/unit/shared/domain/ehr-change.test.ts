import { describe, expect, it } from 'vitest';
import {
  type AppointmentSnapshot,
  classifyChange,
  type LedgerEntry,
  type SeenVersion,
} from '../../../../shared/domain/ehr-change.ts';

const at = (versionId: string, snapshot: AppointmentSnapshot): SeenVersion => ({
  type: 'Appointment',
  id: 'a-1',
  versionId,
  patientId: 'p-1',
  snapshot,
});
const entry = (versionId: string, snapshot: AppointmentSnapshot): LedgerEntry => ({
  type: 'Appointment',
  id: 'a-1',
  versionId,
  snapshot,
});
const NINE = { start: '2026-12-03T09:00:00Z', end: '2026-12-03T09:30:00Z' };
const TEN = { start: '2026-12-03T10:00:00Z', end: '2026-12-03T10:30:00Z' };

describe('classifyChange', () => {
  it('calls every new patient version, the first one too, patient:updated', () => {
    const patient: SeenVersion = { type: 'Patient', id: 'p-1', versionId: '2', patientId: 'p-1' };

    expect(classifyChange(undefined, patient)).toBe('patient:updated');
    expect(classifyChange({ type: 'Patient', id: 'p-1', versionId: '1' }, patient)).toBe('patient:updated');
    expect(classifyChange({ type: 'Patient', id: 'p-1', versionId: '2' }, patient)).toBeUndefined();
  });

  it.each<[string, LedgerEntry | undefined, SeenVersion, string | undefined]>([
    ['first sight, booked', undefined, at('1', { status: 'booked', ...NINE }), 'appointment:scheduled'],
    ['first sight, proposed', undefined, at('1', { status: 'proposed' }), undefined],
    ['first sight, cancelled', undefined, at('1', { status: 'cancelled', ...NINE }), 'appointment:cancelled'],
    [
      'proposed to booked',
      entry('1', { status: 'proposed' }),
      at('2', { status: 'booked', ...NINE }),
      'appointment:scheduled',
    ],
    [
      'booked to cancelled',
      entry('1', { status: 'booked', ...NINE }),
      at('2', { status: 'cancelled', ...NINE }),
      'appointment:cancelled',
    ],
    [
      'booked, moved',
      entry('1', { status: 'booked', ...NINE }),
      at('2', { status: 'booked', ...TEN }),
      'appointment:rescheduled',
    ],
    [
      'booked, end moved only',
      entry('1', { status: 'booked', ...NINE }),
      at('2', { status: 'booked', start: NINE.start, end: TEN.end }),
      'appointment:rescheduled',
    ],
    [
      'booked to arrived',
      entry('1', { status: 'booked', ...NINE }),
      at('2', { status: 'arrived', ...NINE }),
      undefined,
    ],
    [
      'cancelled, moved',
      entry('1', { status: 'cancelled', ...NINE }),
      at('2', { status: 'cancelled', ...TEN }),
      undefined,
    ],
    [
      'cancelled to booked again',
      entry('1', { status: 'cancelled', ...NINE }),
      at('2', { status: 'booked', ...NINE }),
      'appointment:scheduled',
    ],
    [
      'the same version again',
      entry('2', { status: 'booked', ...NINE }),
      at('2', { status: 'cancelled', ...NINE }),
      undefined,
    ],
    [
      'an older version read after a newer one',
      entry('3', { status: 'booked', ...TEN }),
      at('3', { status: 'booked', ...TEN }),
      undefined,
    ],
  ])('%s', (_name, previous, current, expected) => {
    expect(classifyChange(previous, current)).toBe(expected);
  });
});

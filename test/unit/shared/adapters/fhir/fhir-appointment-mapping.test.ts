import type { Appointment as FhirAppointment } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyAppointmentChange,
  newAppointmentResource,
  parseReference,
  toAppointment,
} from '../../../../../shared/adapters/fhir/fhir-appointment-mapping.ts';
import { AppointmentSchema } from '../../../../../shared/domain/ehr.ts';
import { fhirFixture } from '../../../../support/fhir-fixtures.ts';

describe('toAppointment', () => {
  it('projects participants of typed references only, the first patient and practitioner', () => {
    const appointment = toAppointment(fhirFixture('appointment-booked'));

    expect(appointment).toEqual({
      id: 'appt-501',
      versionId: '3',
      patientId: 'pat-1001',
      status: 'booked',
      start: '2026-12-10T09:00:00+01:00',
      end: '2026-12-10T09:30:00+01:00',
      participants: [
        { type: 'Practitioner', id: 'prac-9', status: 'accepted' },
        { type: 'Patient', id: 'pat-1001', status: 'accepted' },
        { type: 'Patient', id: 'pat-other', status: 'tentative' },
        { type: 'Location', id: 'loc-1', status: 'needs-action' },
      ],
      practitionerId: 'prac-9',
      type: 'A follow up visit',
      reason: '413095006',
    });
  });

  it('reads the cancellation reason of a cancelled appointment', () => {
    expect(toAppointment(fhirFixture('appointment-cancelled'))).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'Patient',
    });
  });

  it('answers undefined for an appointment without a patient participant', () => {
    expect(toAppointment(fhirFixture('appointment-no-patient'))).toBeUndefined();
  });

  it('parses relative, absolute and versioned references but not contained or urn ones', () => {
    expect(parseReference('Patient/p1')).toEqual({ type: 'Patient', id: 'p1' });
    expect(parseReference('https://ehr/fhir/Patient/p1/_history/3')).toEqual({ type: 'Patient', id: 'p1' });
    expect(parseReference('#p1')).toBeUndefined();
    expect(parseReference('urn:uuid:1234')).toBeUndefined();
    expect(parseReference(42)).toBeUndefined();
  });

  it('never throws on arbitrary JSON and answers only valid projections', () => {
    const appointmentLike = fc
      .dictionary(
        fc.constantFrom(
          'id',
          'status',
          'start',
          'end',
          'participant',
          'appointmentType',
          'reasonCode',
          'meta',
        ),
        fc.jsonValue(),
      )
      .map((rest) => ({ resourceType: 'Appointment', ...rest }));
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), appointmentLike), (value) => {
        const appointment = toAppointment(value);
        if (appointment) expect(AppointmentSchema.safeParse(appointment).success).toBe(true);
      }),
    );
  });
});

describe('applyAppointmentChange', () => {
  it('cancels with a reason and keeps every other field and extension', () => {
    const raw = fhirFixture<FhirAppointment>('appointment-booked');

    const next = applyAppointmentChange(raw, { status: 'cancelled', cancellationReason: 'clinic closed' });

    expect(next).toEqual({ ...raw, status: 'cancelled', cancelationReason: { text: 'clinic closed' } });
    expect(raw.status).toBe('booked');
  });

  it('moves start and end and keeps the status', () => {
    const raw = fhirFixture<FhirAppointment>('appointment-booked');

    const next = applyAppointmentChange(raw, { start: '2026-12-12T09:00:00Z', end: '2026-12-12T09:30:00Z' });

    expect(toAppointment(next)).toEqual({
      ...toAppointment(raw),
      start: '2026-12-12T09:00:00Z',
      end: '2026-12-12T09:30:00Z',
    });
  });
});

describe('newAppointmentResource', () => {
  it('builds a booked appointment that projects back to what was asked', () => {
    const resource = newAppointmentResource({
      patientId: 'pat-1001',
      practitionerId: 'prac-9',
      start: '2026-12-10T09:00:00Z',
      end: '2026-12-10T09:30:00Z',
      type: 'Checkup',
      reason: 'Annual',
    });

    expect(toAppointment({ ...resource, id: 'new-1' })).toEqual({
      id: 'new-1',
      patientId: 'pat-1001',
      practitionerId: 'prac-9',
      status: 'booked',
      start: '2026-12-10T09:00:00Z',
      end: '2026-12-10T09:30:00Z',
      type: 'Checkup',
      reason: 'Annual',
      participants: [
        { type: 'Patient', id: 'pat-1001', status: 'accepted' },
        { type: 'Practitioner', id: 'prac-9', status: 'accepted' },
      ],
    });
  });
});

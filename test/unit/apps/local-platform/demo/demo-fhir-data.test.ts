import type { Appointment, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  DEMO_MRN_SYSTEM,
  demoFhirResources,
} from '../../../../../apps/local-platform/demo/demo-fhir-data.ts';

const NOW = new Date('2026-03-02T08:00:00Z');

describe('demoFhirResources', () => {
  it('answers 12 synthetic FHIR Patients and 8 booked Appointments per tenant, under the demo ids', () => {
    const resources = demoFhirResources('t-acme', NOW);

    const patients = resources.filter((resource): resource is Patient => resource.resourceType === 'Patient');
    const appointments = resources.filter(
      (resource): resource is Appointment => resource.resourceType === 'Appointment',
    );
    expect(patients.map((patient) => patient.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `p-${String(i + 1).padStart(3, '0')}`),
    );
    expect(appointments.map((appointment) => appointment.id)).toEqual(
      Array.from({ length: 8 }, (_, i) => `a-${String(i + 1).padStart(3, '0')}`),
    );
    for (const patient of patients) {
      expect(patient.name?.[0]?.text).toMatch(/ \(synthetic\)$/);
      expect(patient.telecom?.[0]?.value).toMatch(/@example\.org$/);
      expect(patient.identifier?.[0]).toMatchObject({
        system: DEMO_MRN_SYSTEM,
        value: expect.stringMatching(/^MRN-\d{3}$/),
      });
    }
    for (const appointment of appointments) {
      expect(appointment.status).toBe('booked');
      expect(Date.parse(appointment.start as string)).toBeGreaterThan(NOW.getTime());
      expect(appointment.participant[0]).toMatchObject({
        actor: { reference: expect.stringMatching(/^Patient\/p-\d{3}$/) },
        status: 'accepted',
      });
    }
  });

  it('gives each demo tenant differently named patients under the same ids', () => {
    const acme = demoFhirResources('t-acme', NOW)[0] as Patient;
    const globex = demoFhirResources('t-globex', NOW)[0] as Patient;

    expect(acme.id).toBe(globex.id);
    expect(acme.name?.[0]?.text).toBe('Testy McTestface (synthetic)');
    expect(globex.name?.[0]?.text).toBe('Mock Fakeley (synthetic)');
  });
});

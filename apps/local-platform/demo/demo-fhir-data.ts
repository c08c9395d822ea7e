import type { Appointment, Patient } from '@medplum/fhirtypes';

// Obviously synthetic: no real person is named like this, and every address is example.org.
// Same names, ids and per-tenant offset as the former DynamoDB demo data (demo-data.ts).
const GIVEN_NAMES = ['Testy', 'Demo', 'Sample', 'Mock', 'Fixture', 'Placeholder', 'Synthetic', 'Example'];
const FAMILY_NAMES = ['McTestface', 'Patientson', 'Dataworth', 'Fakeley', 'Stubbs', 'Dummington'];
const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
const PATIENT_COUNT = 12;
const APPOINTMENT_COUNT = 8;

export const DEMO_MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.19.5';

const pad = (value: number) => String(value).padStart(3, '0');

export function demoFhirPatients(tenantId: string): Patient[] {
  const offset = tenantId === 't-acme' ? 0 : 3;
  return Array.from({ length: PATIENT_COUNT }, (_, index): Patient => {
    const n = index + offset;
    const given = GIVEN_NAMES[n % GIVEN_NAMES.length] as string;
    const family = FAMILY_NAMES[n % FAMILY_NAMES.length] as string;
    return {
      resourceType: 'Patient',
      id: `p-${pad(index + 1)}`,
      identifier: [
        {
          use: 'usual',
          type: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }],
            text: 'MRN',
          },
          system: DEMO_MRN_SYSTEM,
          value: `MRN-${pad(index + 1)}`,
        },
      ],
      name: [{ use: 'official', family, given: [given], text: `${given} ${family} (synthetic)` }],
      telecom: [{ system: 'email', value: `patient-${index + 1}@example.org`, use: 'home' }],
      gender: GENDERS[n % GENDERS.length],
      birthDate: `19${String(50 + ((n * 7) % 50)).padStart(2, '0')}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`,
    };
  });
}

export function demoFhirAppointments(patients: readonly Patient[], from: Date): Appointment[] {
  return patients.slice(0, APPOINTMENT_COUNT).map((patient, index): Appointment => {
    const start = new Date(from.getTime() + (index + 1) * 24 * 3600_000);
    start.setUTCHours(9 + (index % 8), 0, 0, 0);
    return {
      resourceType: 'Appointment',
      id: `a-${pad(index + 1)}`,
      status: 'booked',
      appointmentType: { text: index % 2 === 0 ? 'checkup' : 'follow-up' },
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${patient.id}` }, status: 'accepted' }],
    };
  });
}

/** The synthetic Patients and Appointments one demo tenant's FHIR base is seeded with. */
export function demoFhirResources(tenantId: string, now: Date): (Patient | Appointment)[] {
  const patients = demoFhirPatients(tenantId);
  return [...patients, ...demoFhirAppointments(patients, now)];
}

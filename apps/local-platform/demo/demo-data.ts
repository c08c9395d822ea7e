import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Appointment, Patient } from '../../../shared/domain/ehr.ts';
import { type TenantId, TenantIdSchema } from '../../../shared/domain/identifiers.ts';
import type { EhrRepository } from '../../../shared/ports/ehr-repository.ts';

export const DEMO_TENANTS = ['t-acme', 't-globex'].map((id) => TenantIdSchema.parse(id));

// Obviously synthetic: no real person is named like this, and every address is example.org.
const GIVEN_NAMES = ['Testy', 'Demo', 'Sample', 'Mock', 'Fixture', 'Placeholder', 'Synthetic', 'Example'];
const FAMILY_NAMES = ['McTestface', 'Patientson', 'Dataworth', 'Fakeley', 'Stubbs', 'Dummington'];
const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

export function demoPatients(tenantId: TenantId, count = 12): Patient[] {
  const offset = tenantId === 't-acme' ? 0 : 3;
  return Array.from({ length: count }, (_, index) => {
    const n = index + offset;
    return {
      id: `p-${String(index + 1).padStart(3, '0')}`,
      name: `${GIVEN_NAMES[n % GIVEN_NAMES.length]} ${FAMILY_NAMES[n % FAMILY_NAMES.length]} (synthetic)`,
      birthDate: `19${String(50 + ((n * 7) % 50)).padStart(2, '0')}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`,
      gender: GENDERS[n % GENDERS.length],
      email: `patient-${index + 1}@example.org`,
    };
  });
}

export function demoAppointments(patients: readonly Patient[], from: Date): Appointment[] {
  return patients.slice(0, 8).map((patient, index) => {
    const start = new Date(from.getTime() + (index + 1) * 24 * 3600_000);
    start.setUTCHours(9 + (index % 8), 0, 0, 0);
    return {
      id: `a-${String(index + 1).padStart(3, '0')}`,
      patientId: patient.id,
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      status: 'booked',
      type: index % 2 === 0 ? 'checkup' : 'follow-up',
    };
  });
}

/**
 * Seeds the demo tenants on first start. The marker is written last, so a start interrupted
 * half-way seeds again (every write is an idempotent put) instead of leaving partial demo data.
 */
export async function seedDemoData(options: {
  documentClient: DynamoDBDocumentClient;
  ehrTable: string;
  ehr: EhrRepository;
  now: Date;
}): Promise<boolean> {
  const marker = { PK: 'PLATFORM', SK: 'SEED#demo-v1' };
  const existing = await options.documentClient.send(
    new GetCommand({ TableName: options.ehrTable, Key: marker, ConsistentRead: true }),
  );
  if (existing.Item) return false;
  for (const tenantId of DEMO_TENANTS) {
    const patients = demoPatients(tenantId);
    for (const patient of patients) await options.ehr.putPatient(tenantId, patient);
    for (const appointment of demoAppointments(patients, options.now)) {
      await options.ehr.putAppointment(tenantId, appointment);
    }
  }
  await options.documentClient.send(
    new PutCommand({ TableName: options.ehrTable, Item: { ...marker, seededAt: options.now.toISOString() } }),
  );
  return true;
}

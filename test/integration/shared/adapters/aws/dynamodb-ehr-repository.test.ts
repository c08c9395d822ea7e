import { beforeAll, describe, expect, it } from 'vitest';
import { demoAppointments, demoPatients } from '../../../../../apps/local-platform/demo/demo-data.ts';
import { DynamoDbEhrRepository } from '../../../../../shared/adapters/aws/dynamodb-ehr-repository.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const acme = TenantIdSchema.parse('t-acme');
const globex = TenantIdSchema.parse('t-globex');

describe('DynamoDbEhrRepository against DynamoDB Local', () => {
  let ehr: DynamoDbEhrRepository;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    ehr = new DynamoDbEhrRepository(documentClient, names.ehr);
    for (const tenantId of [acme, globex]) {
      const patients = demoPatients(tenantId, 4);
      for (const patient of patients) await ehr.putPatient(tenantId, patient);
      for (const appointment of demoAppointments(patients, new Date('2026-01-01T00:00:00Z'))) {
        await ehr.putAppointment(tenantId, appointment);
      }
    }
  });

  it('resolves the same record id to each tenant’s own record', async () => {
    const acmePatient = await ehr.getPatient(acme, 'p-001');
    const globexPatient = await ehr.getPatient(globex, 'p-001');

    expect(acmePatient?.name).not.toEqual(globexPatient?.name);
  });

  it('finds an id that exists only in another tenant as absent', async () => {
    await ehr.putPatient(globex, {
      id: 'p-globex-only',
      name: 'Only Globex (synthetic)',
      birthDate: '1990-01-01',
    });

    expect(await ehr.getPatient(acme, 'p-globex-only')).toBeUndefined();
    expect(await ehr.updatePatient(acme, 'p-globex-only', { name: 'Changed' })).toBeUndefined();
  });

  it('keeps both of two concurrent updates to different fields', async () => {
    await Promise.all([
      ehr.updatePatient(acme, 'p-002', { phone: '+1-555-0100' }),
      ehr.updatePatient(acme, 'p-002', { email: 'changed@example.org' }),
    ]);

    expect(await ehr.getPatient(acme, 'p-002')).toMatchObject({
      phone: '+1-555-0100',
      email: 'changed@example.org',
    });
  });

  it('searches patients by name fragment within the tenant only', async () => {
    const all = await ehr.searchPatients(acme, {});
    const first = all[0];
    const fragment = first?.name.split(' ')[0] ?? '';

    const found = await ehr.searchPatients(acme, { name: fragment.toLowerCase(), limit: 2 });

    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThanOrEqual(2);
    expect(found.every((patient) => patient.name.toLowerCase().includes(fragment.toLowerCase()))).toBe(true);
  });

  it('refuses to create an appointment over an existing id and replaces only existing ones', async () => {
    const existing = await ehr.getAppointment(acme, 'a-001');
    if (!existing) throw new Error('seed missing');

    await expect(ehr.createAppointment(acme, existing)).rejects.toMatchObject({ code: 'APPOINTMENT_EXISTS' });
    expect(await ehr.replaceAppointment(acme, { ...existing, id: 'a-missing' })).toBeUndefined();
    expect(await ehr.replaceAppointment(acme, { ...existing, status: 'cancelled' })).toMatchObject({
      status: 'cancelled',
    });
  });
});

import type { Patient as FhirPatient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPatientChanges, toPatient } from '../../../../../shared/adapters/fhir/fhir-patient-mapping.ts';
import { PatientSchema } from '../../../../../shared/domain/ehr.ts';
import { fhirFixture } from '../../../../support/fhir-fixtures.ts';

const NOW = Date.parse('2026-12-02T00:00:00Z');

describe('toPatient', () => {
  it('projects the official current name, the preferred phone and the first email', () => {
    const patient = toPatient(fhirFixture('patient-full'), NOW);

    expect(patient).toMatchObject({
      id: 'pat-1001',
      versionId: '7',
      name: 'Jane Quinn Testperson',
      family: 'Testperson',
      given: ['Jane', 'Quinn'],
      birthDate: '1974-12-25',
      gender: 'female',
      phone: '+1 555 0101',
      email: 'jane.testperson@example.org',
    });
  });

  it('types identifiers by text or coding display and drops those without a value', () => {
    const patient = toPatient(fhirFixture('patient-full'), NOW);

    expect(patient?.identifiers).toEqual([
      {
        use: 'usual',
        type: 'Medical record number',
        system: 'urn:oid:1.2.36.146.595.217.0.1',
        value: 'MRN-55501',
      },
      { system: 'http://hl7.org/fhir/sid/us-ssn', type: 'SSN', value: '999-00-1234' },
    ]);
  });

  it('keeps current telecoms of known systems only', () => {
    const patient = toPatient(fhirFixture('patient-full'), NOW);

    expect(patient?.telecom.map((point) => point.value)).toEqual([
      '+1 555 0100',
      '+1 555 0101',
      'jane.testperson@example.org',
      'old@example.org',
    ]);
  });

  it('uses the name text and drops an unknown gender and a birth date given only as an extension', () => {
    const patient = toPatient(fhirFixture('patient-sparse'), NOW);

    expect(patient).toEqual({
      id: 'pat-2002',
      identifiers: [],
      name: 'Sam Sparse',
      given: [],
      email: 'sam@example.org',
      telecom: [{ system: 'email', value: 'sam@example.org' }],
    });
  });

  it('reads what it can from malformed members and drops the rest', () => {
    const patient = toPatient(fhirFixture('patient-odd'), NOW);

    expect(patient).toEqual({
      id: 'pat-3003',
      identifiers: [],
      name: 'Object Single',
      family: 'Single',
      given: ['Object'],
      phone: '+1 555 0300',
      telecom: [{ system: 'phone', value: '+1 555 0300' }],
    });
  });

  it('answers undefined for another resource type or an unusable id', () => {
    expect(toPatient({ resourceType: 'Practitioner', id: 'x' }, NOW)).toBeUndefined();
    expect(toPatient({ resourceType: 'Patient', id: '../etc' }, NOW)).toBeUndefined();
    expect(toPatient(null, NOW)).toBeUndefined();
  });

  it('never throws on arbitrary JSON and answers only valid projections', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc
            .record({ resourceType: fc.constant('Patient'), id: fc.string() }, { requiredKeys: [] })
            .chain((base) =>
              fc
                .dictionary(
                  fc.constantFrom('name', 'telecom', 'identifier', 'birthDate', 'gender', 'meta'),
                  fc.jsonValue(),
                )
                .map((rest) => ({ ...base, ...rest })),
            ),
        ),
        (value) => {
          const patient = toPatient(value, NOW);
          if (patient) expect(PatientSchema.safeParse(patient).success).toBe(true);
        },
      ),
    );
  });
});

describe('applyPatientChanges', () => {
  it('changes the projected name, phone and email and keeps every other field and extension', () => {
    const raw = fhirFixture<FhirPatient>('patient-full');

    const next = applyPatientChanges(
      raw,
      { family: 'Renamed', phone: '+1 555 0777', email: 'new@example.org' },
      NOW,
    );

    expect(next.name?.[2]).toEqual({
      use: 'official',
      family: 'Renamed',
      given: ['Jane', 'Quinn'],
      prefix: ['Ms.'],
    });
    expect(next.telecom?.[1]).toEqual({ system: 'phone', value: '+1 555 0777', use: 'home' });
    expect(next.telecom?.[3]).toEqual({ system: 'email', value: 'new@example.org', use: 'home' });
    const { name: _n, telecom: _t, ...rest } = next;
    const { name: _rn, telecom: _rt, ...expected } = raw;
    expect(rest).toEqual(expected);
    expect(raw.name?.[2]?.family).toBe('Testperson');
  });

  it('adds a name, a mobile phone and an email when the patient has none', () => {
    const next = applyPatientChanges(
      { resourceType: 'Patient', id: 'p1' },
      {
        family: 'New',
        given: ['Ann'],
        phone: '+1 555 0000',
        email: 'a@example.org',
        gender: 'other',
        birthDate: '1990',
      },
      NOW,
    );

    expect(toPatient(next, NOW)).toMatchObject({
      name: 'Ann New',
      phone: '+1 555 0000',
      email: 'a@example.org',
      gender: 'other',
      birthDate: '1990',
    });
  });

  it('keeps the unchanged projected fields for any change (property)', () => {
    const changes = fc.record(
      {
        family: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
        given: fc.array(
          fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
          { minLength: 1, maxLength: 3 },
        ),
        birthDate: fc.constantFrom('1990', '1990-02', '2001-07-15'),
        gender: fc.constantFrom('male', 'female', 'other', 'unknown' as const),
        phone: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
        email: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.constantFrom('patient-full', 'patient-sparse', 'patient-odd'),
        changes,
        (fixture, change) => {
          const raw = fhirFixture<FhirPatient>(fixture);
          const before = toPatient(raw, NOW);

          const after = toPatient(applyPatientChanges(raw, change, NOW), NOW);

          expect(after?.id).toBe(before?.id);
          expect(after?.identifiers).toEqual(before?.identifiers);
          for (const key of ['family', 'given', 'birthDate', 'gender', 'phone', 'email'] as const) {
            if (change[key] !== undefined) expect(after?.[key]).toEqual(change[key]);
            else expect(after?.[key]).toEqual(before?.[key]);
          }
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { auditEventBundleOf } from '../../../../../shared/domain/audit-fhir/audit-event-bundle.ts';
import { auditEventOfRecord } from '../../../../../shared/domain/audit-fhir/audit-event-of-record.ts';
import {
  AuditEventBundleSchema,
  AuditEventSchema,
} from '../../../../../shared/domain/audit-fhir/audit-event-schema.ts';
import { type AuditRecordView, AuditRecordViewSchema } from '../../../../../shared/domain/audit-query.ts';
import type { AuditRecord } from '../../../../../shared/domain/platform-events.ts';
import { sampleRecords } from '../../../../support/audit-query-records.ts';

const RECORDS = sampleRecords('t-acme');
const AT = '2026-12-01T10:00:00.000Z';

const viewOf = (record: AuditRecord, id = '6f1c2d3e-0000-4000-8000-000000000001'): AuditRecordView =>
  AuditRecordViewSchema.parse({ ...record, id, recordedAt: AT });

const mapped = (record: AuditRecord) => AuditEventSchema.parse(auditEventOfRecord(viewOf(record)));

describe('auditEventOfRecord (FHIR R4 AuditEvent, BALP where it fits)', () => {
  it.each(Object.entries(RECORDS))('emits a valid AuditEvent for a %s record', (_kind, record) => {
    const event = mapped(record);

    expect(event.resourceType).toBe('AuditEvent');
    expect(event.recorded).toBe(AT);
    expect(event.subtype).toEqual([{ system: 'urn:gradiant-plugins:audit-action', code: record.action }]);
    expect(event.agent[0]).toEqual({
      who: { identifier: { system: 'urn:gradiant-plugins:actor', value: record.actor } },
      requestor: true,
    });
    expect(event.source.type).toEqual([
      {
        system: 'http://terminology.hl7.org/CodeSystem/security-source-type',
        code: '4',
        display: 'Application Server',
      },
    ]);
  });

  it('maps an API request to a RESTful operation with the action of its method', () => {
    const event = mapped(RECORDS.apiRequest);

    expect(event.type).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/audit-event-type',
      code: 'rest',
    });
    expect(event.action).toBe('R');
    expect(event.outcome).toBe('0');
    expect(event.entity).toEqual([
      expect.objectContaining({
        what: { identifier: { system: 'urn:gradiant-plugins:request-id', value: 'req-1' } },
        type: expect.objectContaining({ code: 'XrequestId' }),
      }),
    ]);
  });

  it('maps a plugin run that changed a patient to a DICOM Patient Record update with Patient entities', () => {
    const event = mapped(RECORDS.pluginRun);

    expect(event.type).toMatchObject({
      system: 'http://dicom.nema.org/resources/ontology/DCM',
      code: '110110',
    });
    expect(event.action).toBe('U');
    const patients = event.entity?.filter((entity) => entity.what.reference?.startsWith('Patient/'));
    expect(patients?.map((entity) => entity.what.reference)).toEqual(['Patient/p-001', 'Patient/p-002']);
    expect(patients?.[0]?.role).toMatchObject({ code: '1', display: 'Patient' });
    expect(event.agent[1]).toMatchObject({
      who: { identifier: { system: 'urn:gradiant-plugins:plugin', value: 'lab-viewer' } },
      requestor: false,
    });
    expect(event.entity).toContainEqual(
      expect.objectContaining({
        what: { identifier: { system: 'urn:gradiant-plugins:plugin', value: 'lab-viewer' } },
      }),
    );
  });

  it('maps a run that only read to R, and one that searched to a DICOM Query (E)', () => {
    const read = mapped({
      ...RECORDS.pluginRun,
      dataAccess: [{ operation: 'patients.get', outcome: 'success', count: 1, patientIds: ['p-003'] }],
    });
    const search = mapped({
      ...RECORDS.pluginRun,
      dataAccess: [{ operation: 'patients.search', outcome: 'success', count: 1, patientIds: ['p-003'] }],
    });

    expect([read.type.code, read.action]).toEqual(['110110', 'R']);
    expect([search.type.code, search.action]).toEqual(['110112', 'E']);
  });

  it('maps a lifecycle change to a RESTful update', () => {
    const event = mapped(RECORDS.lifecycle);

    expect([event.type.code, event.action, event.outcome]).toEqual(['rest', 'U', '0']);
  });

  it('maps a refusal to a minor failure described by its code, never by its free-text reason', () => {
    const event = mapped(RECORDS.refusal);

    expect(event.outcome).toBe('4');
    expect(event.outcomeDesc).toBe('PERMISSION_DENIED');
    expect(JSON.stringify(event)).not.toContain('free text');
    expect(mapped({ ...RECORDS.refusal, outcome: 'failure' }).outcome).toBe('8');
  });

  it('maps an anomaly to a DICOM Security Alert naming its evidence records', () => {
    const event = mapped(RECORDS.anomaly);

    expect([event.type.code, event.action]).toEqual(['110113', 'E']);
    expect(event.entity).toContainEqual(
      expect.objectContaining({
        what: {
          identifier: {
            system: 'urn:gradiant-plugins:audit-record',
            value: '0b7f6a8e-4d2c-4c3e-9d8e-1f2a3b4c5d6e',
          },
        },
      }),
    );
  });

  it('references a patient id FHIR cannot take as an id by identifier, and drops ids the record could not keep', () => {
    const event = mapped({
      ...RECORDS.pluginRun,
      dataAccess: [
        { operation: 'patients.get', outcome: 'success', count: 2, patientIds: ['p_under', 'x'.repeat(80)] },
      ],
    });

    const patients = event.entity?.filter((entity) => entity.role?.code === '1') ?? [];
    expect(patients.map((entity) => entity.what)).toEqual([
      { identifier: { system: 'urn:gradiant-plugins:patient', value: 'p_under' } },
    ]);
  });
});

describe('auditEventBundleOf', () => {
  it('answers a searchset with self and next links and no total', () => {
    const bundle = AuditEventBundleSchema.parse(
      auditEventBundleOf([viewOf(RECORDS.lifecycle)], {
        self: '/v1/audit?format=fhir',
        next: '/v1/audit?cursor=c',
      }),
    );

    expect(bundle).not.toHaveProperty('total');
    expect(bundle.link).toEqual([
      { relation: 'self', url: '/v1/audit?format=fhir' },
      { relation: 'next', url: '/v1/audit?cursor=c' },
    ]);
    expect(bundle.entry[0]?.search).toEqual({ mode: 'match' });
  });

  it('has no next link on the last page', () => {
    const bundle = auditEventBundleOf([], { self: '/v1/audit' });

    expect(bundle.link).toEqual([{ relation: 'self', url: '/v1/audit' }]);
    expect(bundle.entry).toEqual([]);
  });
});

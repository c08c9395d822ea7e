import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditEventOfRecord } from '../../../../../shared/domain/audit-fhir/audit-event-of-record.ts';
import { AuditEventSchema } from '../../../../../shared/domain/audit-fhir/audit-event-schema.ts';
import { AuditRecordViewSchema } from '../../../../../shared/domain/audit-query.ts';
import { AUDIT_OUTCOMES } from '../../../../../shared/domain/platform-events.ts';

const text = fc.string({ minLength: 1, maxLength: 40 });
const id = fc.oneof(fc.constantFrom('p-001', 'lab-viewer', 'req-1', 'p_under'), text);

/** Any record the audit schema accepts (its transforms replace what it cannot keep). */
const record = fc.record(
  {
    action: fc.oneof(
      fc.constantFrom('security:anomaly', 'plugin:invoked', 'plugin:install', 'api:request'),
      text,
    ),
    outcome: fc.constantFrom(...AUDIT_OUTCOMES),
    actor: text,
    pluginId: id,
    code: fc.oneof(fc.constantFrom('PERMISSION_DENIED'), text),
    requestId: id,
    evidenceRecordIds: fc.array(id, { maxLength: 3 }),
    request: fc.record({
      routeKey: fc.oneof(
        fc.constantFrom('GET /v1/plugins', 'POST /v1/plugins', 'DELETE /v1/plugins/{id}'),
        text,
      ),
      status: fc.integer({ min: 100, max: 599 }),
    }),
    dataAccess: fc.array(
      fc.record({
        operation: fc.oneof(
          fc.constantFrom('patients.get', 'patients.search', 'appointments.schedule'),
          text,
        ),
        outcome: fc.constantFrom(...AUDIT_OUTCOMES),
        count: fc.integer({ min: 1, max: 5 }),
        patientIds: fc.array(id, { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: ['action', 'outcome', 'actor'] },
);

describe('auditEventOfRecord (property)', () => {
  it('maps any valid audit record to an AuditEvent the schema accepts, with no free text', () => {
    fc.assert(
      fc.property(record, fc.uuid(), (raw, recordId) => {
        const view = AuditRecordViewSchema.parse({
          ...raw,
          reason: 'CANARY free text',
          id: recordId,
          recordedAt: '2026-12-01T10:00:00.000Z',
        });

        const event = auditEventOfRecord(view);

        expect(AuditEventSchema.safeParse(event).error?.issues ?? []).toEqual([]);
        expect(JSON.stringify(event)).not.toContain('CANARY');
      }),
      { numRuns: 300 },
    );
  });
});

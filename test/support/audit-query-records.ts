import { randomUUID } from 'node:crypto';
import { patientIndexItem } from '../../shared/adapters/aws/audit-table-items.ts';
import type { AuditRecord, PlatformEvent } from '../../shared/domain/platform-events.ts';
import { auditEvent } from '../../shared/services/audit/audit-trail.ts';
import { patientIndexEntriesOf } from '../../shared/services/audit/deliver-outbox.ts';

/** An audit record's outbox entry as the platform writes it, at a given time. */
export function auditEntryAt(record: AuditRecord, time: string, id: string = randomUUID()): PlatformEvent {
  return auditEvent(record, { ids: { next: () => id }, clock: { now: () => new Date(time) } });
}

/** A record of each kind the audit query maps (the FHIR tests and the integration seed share them). */
export const sampleRecords = (tenantId: string) =>
  ({
    apiRequest: {
      action: 'api:request',
      outcome: 'success',
      actor: 'officer-1',
      tenantId,
      requestId: 'req-1',
      request: { routeKey: 'GET /v1/plugins/{id}', status: 200, targetIds: { id: 'lab-viewer' } },
    },
    pluginRun: {
      action: 'plugin:invoked',
      outcome: 'success',
      actor: 'nurse-7',
      tenantId,
      pluginId: 'lab-viewer',
      version: '1.2.0',
      publisherId: 'pub-acme',
      requestId: 'req-2',
      dataAccess: [
        { operation: 'patients.get', outcome: 'success', count: 2, patientIds: ['p-001', 'p-002'] },
        { operation: 'patients.update', outcome: 'success', count: 1, patientIds: ['p-001'] },
      ],
    },
    lifecycle: {
      action: 'plugin:enable',
      outcome: 'success',
      actor: 'admin-1',
      tenantId,
      pluginId: 'lab-viewer',
      version: '1.2.0',
    },
    refusal: {
      action: 'plugin:invoke',
      outcome: 'refused',
      actor: 'nurse-7',
      tenantId,
      pluginId: 'lab-viewer',
      code: 'PERMISSION_DENIED',
      reason: 'free text that must never reach FHIR',
    },
    anomaly: {
      action: 'security:anomaly',
      outcome: 'success',
      actor: 'access-monitor',
      tenantId,
      pluginId: 'lab-viewer',
      anomaly: {
        rule: 'DistinctPatientRate',
        windowStart: '2026-12-01T09:00:00.000Z',
        windowEnd: '2026-12-01T10:00:00.000Z',
        observed: 120,
        threshold: 100,
      },
      evidenceRecordIds: ['0b7f6a8e-4d2c-4c3e-9d8e-1f2a3b4c5d6e'],
    },
  }) satisfies Record<string, AuditRecord>;

/** The patient index items the stream consumer writes for a record: its own function's entries. */
export const patientIndexItemsOf = (event: PlatformEvent): Record<string, unknown>[] =>
  patientIndexEntriesOf(event).map(patientIndexItem);

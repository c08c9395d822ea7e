import { AuditEventBundleSchema } from '../../domain/audit-fhir/audit-event-schema.ts';
import { AuditRecordViewSchema, DisclosureSchema } from '../../domain/audit-query.ts';
import { AuditQuerySchema, DisclosuresQuerySchema, PatientPathSchema } from '../requests/audit-requests.ts';
import { pageOf } from '../response-schemas.ts';
import { defineRoute } from '../route-record.ts';

/**
 * The privacy officer's read side of the audit trail, always over the caller's own tenant. Both
 * lists are newest first and cover at most the table's retention (400 days); older ranges are
 * queried in the compliance-log bucket with Athena.
 */
export const AUDIT_ROUTES = [
  defineRoute({
    routeKey: 'GET /v1/audit',
    operationId: 'queryAudit',
    function: 'audit',
    scopes: ['audit:read'],
    summary:
      "The caller's tenant's audit records, newest first (default: the last 24 h); format=fhir answers a FHIR R4 Bundle of AuditEvents",
    request: { query: AuditQuerySchema },
    status: 200,
    response: pageOf(AuditRecordViewSchema),
    alternativeResponse: { mediaType: 'application/fhir+json', schema: AuditEventBundleSchema },
  }),
  defineRoute({
    routeKey: 'GET /v1/audit/patients/{patientId}/disclosures',
    operationId: 'listPatientDisclosures',
    function: 'audit',
    scopes: ['audit:read'],
    summary:
      "One patient's accounting of disclosures: every plugin run that read or changed their record, newest first",
    request: { path: PatientPathSchema, query: DisclosuresQuerySchema },
    status: 200,
    response: pageOf(DisclosureSchema),
  }),
] as const;

import { auditEventBundleOf } from '../../shared/domain/audit-fhir/audit-event-bundle.ts';
import type { CursorCodec, CursorScope } from '../../shared/http/cursor-codec.ts';
import { auditQueryUrl } from '../../shared/http/requests/audit-requests.ts';
import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { AUDIT_ROUTES } from '../../shared/http/routes/audit-routes.ts';
import {
  type AuditQueryDependencies,
  listAuditRecords,
  listDisclosures,
} from '../../shared/services/audit/query-audit.ts';

export interface AuditRouteDependencies extends AuditQueryDependencies {
  /** Seals and opens the cursors of this function's lists (bound to tenant and list). */
  readonly cursors: CursorCodec;
}

const FHIR_JSON = { 'content-type': 'application/fhir+json' };

/**
 * Each index pages by its own keys, so a cursor is bound to the index it came from as well as to
 * the tenant: one issued for a plugin's records does not open for a patient's.
 */
function recordsListOf(query: { pluginId?: string | undefined; patientId?: string | undefined }): string {
  if (query.patientId !== undefined) return `audit-records:patient:${query.patientId}`;
  if (query.pluginId !== undefined) return `audit-records:plugin:${query.pluginId}`;
  return 'audit-records';
}

/** Parsed request → use case → result; the tenant is always the caller's, from the token. */
export function auditRoutes(deps: AuditRouteDependencies): RouteHandlersFor<typeof AUDIT_ROUTES> {
  return {
    'GET /v1/audit': async ({ query }, { caller }) => {
      const { format, cursor, ...request } = query;
      const scope: CursorScope = { tenantId: caller.tenantId, list: recordsListOf(query) };
      const page = await deps.cursors.page(cursor, scope, (position) =>
        listAuditRecords({ ...request, tenantId: caller.tenantId, cursor: position }, deps),
      );
      if (format === 'json') return { body: page };
      const bundle = auditEventBundleOf(page.items, {
        self: auditQueryUrl(query, cursor),
        next: page.nextCursor === undefined ? undefined : auditQueryUrl(query, page.nextCursor),
      });
      return { body: bundle, headers: FHIR_JSON };
    },

    'GET /v1/audit/patients/{patientId}/disclosures': async ({ path, query }, { caller }) => {
      const { cursor, ...request } = query;
      const scope: CursorScope = { tenantId: caller.tenantId, list: `disclosures:${path.patientId}` };
      return {
        body: await deps.cursors.page(cursor, scope, (position) =>
          listDisclosures(
            { ...request, tenantId: caller.tenantId, patientId: path.patientId, cursor: position },
            deps,
          ),
        ),
      };
    },
  };
}

import { type AuditRecordView, auditTimeRangeOf, type Disclosure } from '../../domain/audit-query.ts';
import type { AuditQueryStore, AuditRecordFilter } from '../../ports/audit-query-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Page, PageRequest } from '../../ports/page.ts';

export interface AuditQueryDependencies {
  readonly store: AuditQueryStore;
  readonly clock: Clock;
}

/** What the caller asks for; the tenant is the caller's own, never a parameter. */
export interface AuditRecordsRequest extends PageRequest, AuditRecordFilter {
  readonly tenantId: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly pluginId?: string | undefined;
  readonly patientId?: string | undefined;
}

export interface DisclosuresRequest extends PageRequest {
  readonly tenantId: string;
  readonly patientId: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** The privacy officer's audit query: the range judged against retention, then one store query. */
export async function listAuditRecords(
  request: AuditRecordsRequest,
  { store, clock }: AuditQueryDependencies,
): Promise<Page<AuditRecordView>> {
  const range = auditTimeRangeOf(request, clock.now());
  return store.listRecords({
    tenantId: request.tenantId,
    range,
    pluginId: request.pluginId,
    patientId: request.patientId,
    filter: { actor: request.actor, action: request.action, outcome: request.outcome },
    limit: request.limit,
    cursor: request.cursor,
  });
}

/** A patient's accounting of disclosures: every plugin run that read or changed their record. */
export async function listDisclosures(
  request: DisclosuresRequest,
  { store, clock }: AuditQueryDependencies,
): Promise<Page<Disclosure>> {
  return store.listDisclosures({
    tenantId: request.tenantId,
    patientId: request.patientId,
    range: auditTimeRangeOf(request, clock.now()),
    limit: request.limit,
    cursor: request.cursor,
  });
}

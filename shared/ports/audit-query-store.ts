import type { AuditRecordView, AuditTimeRange, Disclosure } from '../domain/audit-query.ts';
import type { AuditRecord } from '../domain/platform-events.ts';
import type { Page, PageRequest } from './page.ts';

/** Exact-match filters on a record's top-level fields. */
export interface AuditRecordFilter {
  readonly actor?: string | undefined;
  readonly action?: string | undefined;
  readonly outcome?: AuditRecord['outcome'] | undefined;
}

/** One tenant's audit records in a range, newest first; at most one of plugin and patient picks the index. */
export interface AuditRecordQuery extends PageRequest {
  readonly tenantId: string;
  readonly range: AuditTimeRange;
  readonly pluginId?: string | undefined;
  readonly patientId?: string | undefined;
  readonly filter: AuditRecordFilter;
}

export interface DisclosureQuery extends PageRequest {
  readonly tenantId: string;
  readonly patientId: string;
  readonly range: AuditTimeRange;
}

/** The read side of the audit table. Every query is bound to one tenant; cursors are adapter positions. */
export interface AuditQueryStore {
  listRecords(query: AuditRecordQuery): Promise<Page<AuditRecordView>>;
  listDisclosures(query: DisclosureQuery): Promise<Page<Disclosure>>;
}

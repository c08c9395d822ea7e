import type { AuditRecordView, Disclosure } from '../../../shared/domain/audit-query.ts';
import type {
  AuditQueryStore,
  AuditRecordQuery,
  DisclosureQuery,
} from '../../../shared/ports/audit-query-store.ts';
import type { Page } from '../../../shared/ports/page.ts';

/** The audit query over arrays, newest first, with an offset as its position; records what it was asked. */
export class InMemoryAuditQueryStore implements AuditQueryStore {
  /** Each record's own `tenantId` says whose it is. */
  readonly records: AuditRecordView[] = [];
  readonly disclosures: (Disclosure & { tenantId: string; patientId: string })[] = [];
  readonly recordQueries: AuditRecordQuery[] = [];
  readonly disclosureQueries: DisclosureQuery[] = [];

  async listRecords(query: AuditRecordQuery): Promise<Page<AuditRecordView>> {
    this.recordQueries.push(query);
    const { filter, range } = query;
    const matching = this.records.filter(
      (record) =>
        record.tenantId === query.tenantId &&
        record.recordedAt >= range.from &&
        record.recordedAt <= range.to &&
        (query.pluginId === undefined || record.pluginId === query.pluginId) &&
        (query.patientId === undefined ||
          (record.dataAccess ?? []).some((access) => access.patientIds?.includes(query.patientId ?? ''))) &&
        (filter.actor === undefined || record.actor === filter.actor) &&
        (filter.action === undefined || record.action === filter.action) &&
        (filter.outcome === undefined || record.outcome === filter.outcome),
    );
    return pageOf(
      matching.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt)),
      query,
    );
  }

  async listDisclosures(query: DisclosureQuery): Promise<Page<Disclosure>> {
    this.disclosureQueries.push(query);
    const matching = this.disclosures.filter(
      (entry) =>
        entry.tenantId === query.tenantId &&
        entry.patientId === query.patientId &&
        entry.at >= query.range.from &&
        entry.at <= query.range.to,
    );
    return pageOf(
      matching
        .sort((a, b) => b.at.localeCompare(a.at))
        .map(({ tenantId: _t, patientId: _p, ...entry }) => entry),
      query,
    );
  }
}

function pageOf<T>(items: readonly T[], page: { limit: number; cursor?: string | undefined }): Page<T> {
  const start = page.cursor === undefined ? 0 : Number(page.cursor);
  const end = start + page.limit;
  return { items: items.slice(start, end), nextCursor: end < items.length ? String(end) : undefined };
}

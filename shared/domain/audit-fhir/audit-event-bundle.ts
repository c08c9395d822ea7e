import type { AuditRecordView } from '../audit-query.ts';
import { auditEventOfRecord } from './audit-event-of-record.ts';
import type { AuditEventBundle } from './audit-event-schema.ts';

/**
 * One page of the audit query as a FHIR searchset. `total` is omitted: the query pages by key and
 * never counts the whole range. `next` is present exactly when the page has a cursor.
 */
export function auditEventBundleOf(
  items: readonly AuditRecordView[],
  links: { readonly self: string; readonly next?: string | undefined },
): AuditEventBundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [
      { relation: 'self', url: links.self },
      ...(links.next === undefined ? [] : [{ relation: 'next' as const, url: links.next }]),
    ],
    entry: items.map((record) => ({
      resource: auditEventOfRecord(record),
      search: { mode: 'match' as const },
    })),
  };
}

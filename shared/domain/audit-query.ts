import { z } from 'zod';
import { validationFailed } from './errors/request-errors.ts';
import { AUDIT_OUTCOMES, AuditRecordSchema } from './platform-events.ts';

/**
 * How long the audit table answers queries: about 13 months. The six-year record is the
 * compliance-log bucket (Object Lock); longer ranges are queried there with Athena.
 */
export const AUDIT_QUERY_RETENTION_DAYS = 400;
/** The window a query without `from` covers, ending at `to` (or now). */
export const DEFAULT_AUDIT_WINDOW_HOURS = 24;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One audit record as the query answers it: the record, its event id and when it was recorded. */
export const AuditRecordViewSchema = AuditRecordSchema.extend({
  id: z.string(),
  recordedAt: z.iso.datetime(),
});
export type AuditRecordView = z.output<typeof AuditRecordViewSchema>;

/**
 * One entry of a patient's accounting of disclosures: a plugin run that read or changed their
 * record. Ids, versions and operation names only.
 */
export const DisclosureSchema = z.object({
  at: z.iso.datetime(),
  pluginId: z.string(),
  /** Absent only when the record named no version. */
  version: z.string().optional(),
  publisherId: z.string().optional(),
  /** The plugin API operations of the run that touched this patient (`patients.get`…). */
  operations: z.array(z.string()),
  outcome: z.enum(AUDIT_OUTCOMES),
  /** The audit record's id: find it in `GET /v1/audit`. */
  recordId: z.string(),
});
export type Disclosure = z.output<typeof DisclosureSchema>;

/** A closed time range as canonical ISO instants (`toISOString`), the form the table's keys use. */
export interface AuditTimeRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The range a query covers: the last 24 h by default, `from` defaulting to 24 h before `to`. A
 * range that ends before it starts, or that reaches further back than the table keeps records,
 * is refused naming the field, so a caller never mistakes an expired range for an empty one.
 */
export function auditTimeRangeOf(
  requested: { from?: string | undefined; to?: string | undefined },
  now: Date,
): AuditTimeRange {
  const to = requested.to === undefined ? now : new Date(requested.to);
  const from =
    requested.from === undefined
      ? new Date(to.getTime() - DEFAULT_AUDIT_WINDOW_HOURS * HOUR_MS)
      : new Date(requested.from);
  if (to.getTime() < from.getTime())
    throw validationFailed([{ field: 'to', message: 'must not be before from' }]);
  const oldest = now.getTime() - AUDIT_QUERY_RETENTION_DAYS * DAY_MS;
  if (from.getTime() < oldest)
    throw validationFailed([
      {
        field: requested.from === undefined ? 'to' : 'from',
        message: `must be within the last ${AUDIT_QUERY_RETENTION_DAYS} days; query the compliance log with Athena for older records`,
      },
    ]);
  return { from: from.toISOString(), to: to.toISOString() };
}

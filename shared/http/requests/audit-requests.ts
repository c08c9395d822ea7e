import { z } from 'zod';
import { RecordIdSchema } from '../../domain/ehr.ts';
import { PluginIdSchema } from '../../domain/identifiers.ts';
import { AUDIT_OUTCOMES } from '../../domain/platform-events.ts';

/** ISO 8601 date-times with `Z` or an offset; the use case compares them as instants. */
const InstantSchema = z.iso.datetime({ offset: true });
const LimitSchema = z.coerce.number().int().min(1).max(200).default(50).describe('Records per page');
/** Opaque; judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
const CursorSchema = z
  .string()
  .optional()
  .describe("The previous page's `nextCursor`, with the same filters");

const RangeQueryShape = {
  from: InstantSchema.optional().describe('Records at or after this instant'),
  to: InstantSchema.optional().describe('Records before this instant'),
  limit: LimitSchema,
  cursor: CursorSchema,
};

/**
 * Strict: an unknown parameter is a 400, so a `tenantId` (or a misspelled filter) is refused
 * rather than silently ignored; the tenant is always the caller's own.
 */
export const AuditQuerySchema = z.strictObject({
  ...RangeQueryShape,
  pluginId: PluginIdSchema.optional().describe('Only records of this plugin'),
  patientId: RecordIdSchema.optional().describe("Only records that touched this patient's data"),
  actor: z.string().min(1).max(256).optional().describe('Only records of this user or client (`sub`)'),
  action: z.string().min(1).max(128).optional().describe('Only records of this action, e.g. `api:request`'),
  outcome: z.enum(AUDIT_OUTCOMES).optional().describe('Only records with this outcome'),
  /** `fhir` answers a FHIR R4 searchset Bundle of AuditEvents (application/fhir+json). */
  format: z
    .enum(['json', 'fhir'])
    .default('json')
    .describe('`fhir` answers a FHIR R4 searchset Bundle of AuditEvents (`application/fhir+json`)'),
});
export type AuditQuery = z.output<typeof AuditQuerySchema>;

export const DisclosuresQuerySchema = z.strictObject(RangeQueryShape);
export const PatientPathSchema = z.object({ patientId: RecordIdSchema });

/** The URL of this query at another cursor: the FHIR bundle's `self` and `next` links. */
export function auditQueryUrl(query: AuditQuery, cursor: string | undefined): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...query, cursor }))
    if (value !== undefined) parameters.set(name, String(value));
  return `/v1/audit?${parameters.toString()}`;
}

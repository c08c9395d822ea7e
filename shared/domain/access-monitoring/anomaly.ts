import { z } from 'zod';

/** The rules, named as the `code` of their `security:anomaly` audit record (stable once shipped). */
export const ANOMALY_RULES = [
  'DistinctPatientRate',
  'PermissionDenialBurst',
  'OffHoursBulkAccess',
  'PublisherVerificationFailures',
] as const;
export const AnomalyRuleSchema = z.enum(ANOMALY_RULES);
export type AnomalyRule = z.infer<typeof AnomalyRuleSchema>;

/** Evidence an anomaly carries: enough ids to find the records in the audit query, never all. */
export const MAX_EVIDENCE_IDS = 20;

/** An audit event's envelope id: what the audit trail finds a record by. */
export const EvidenceRecordIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);

/** What a rule saw, as ids and figures only. */
export const AnomalySchema = z
  .object({
    rule: AnomalyRuleSchema,
    tenantId: z.string().optional(),
    pluginId: z.string().optional(),
    publisherId: z.string().optional(),
    windowStart: z.iso.datetime(),
    windowEnd: z.iso.datetime(),
    observed: z.number().int().nonnegative(),
    threshold: z.number().nonnegative(),
    evidenceRecordIds: z.array(EvidenceRecordIdSchema).max(MAX_EVIDENCE_IDS),
  })
  .strict();
export type Anomaly = z.infer<typeof AnomalySchema>;

/** The newest evidence first matters least; keep the first ids that crossed, deduplicated, capped. */
export function capEvidence(recordIds: readonly string[]): string[] {
  return [...new Set(recordIds)].slice(0, MAX_EVIDENCE_IDS);
}

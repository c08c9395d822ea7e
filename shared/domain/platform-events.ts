import { z } from 'zod';
import { AnomalyRuleSchema, EvidenceRecordIdSchema, MAX_EVIDENCE_IDS } from './access-monitoring/anomaly.ts';
import { RecordIdSchema } from './ehr.ts';
import { PluginIdSchema, TenantIdSchema } from './identifiers.ts';
import { SemverSchema } from './manifest.ts';

/** EventBridge `source` of every event the platform publishes. */
export const PLATFORM_EVENT_SOURCE = 'gradiant.plugins';

export const LIFECYCLE_EVENT_NAMES = [
  'plugin:installed',
  'plugin:enabled',
  'plugin:disabled',
  'plugin:uninstalled',
  'plugin:updated',
  'plugin:error',
  'plugin:resource:exceeded',
] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENT_NAMES)[number];

/**
 * An event as the platform publishes it: EventBridge `detail-type` is `name`, `detail` is `detail`.
 * Details hold ids, versions, codes and figures only: never PHI.
 */
export const PlatformEventSchema = z.object({
  id: z.string(),
  name: z.string().min(1).max(128),
  time: z.iso.datetime(),
  tenantId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});
export type PlatformEvent = z.infer<typeof PlatformEventSchema>;

/** An audit record travels as the event `audit:<action>`: one prefix tells records from events. */
export const AUDIT_EVENT_PREFIX = 'audit:';
export const auditEventName = (action: string): string => `${AUDIT_EVENT_PREFIX}${action}`;
export const isAuditRecordEvent = (event: Pick<PlatformEvent, 'name'>): boolean =>
  event.name.startsWith(AUDIT_EVENT_PREFIX);

export const AUDIT_OUTCOMES = ['success', 'refused', 'failure'] as const;

const ACTOR_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@|/+-]{0,255}$/;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}$/;
const CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/;

/**
 * Audit records land in write-once storage, so a field keeps only a value that passed its own
 * schema: anything else (a refused request's raw "id" may be a patient's name) is recorded as
 * invalid with its length, never its text.
 */
function auditable(isValid: (value: string) => boolean) {
  // A value already replaced by its length stays as it is: a stored record parses to itself.
  return z
    .string()
    .transform((value) =>
      isValid(value) || INVALID_MARKER.test(value) ? value : `invalid:length=${value.length}`,
    );
}
const INVALID_MARKER = /^invalid:length=\d{1,7}$/;
const matching = (pattern: RegExp) => auditable((value) => pattern.test(value));
const passing = (schema: z.ZodType) => auditable((value) => schema.safeParse(value).success);

/** How often one run hit this refusal, and when first and last (one record, not one per attempt). */
export const AuditOccurrencesSchema = z.object({
  count: z.number().int().min(1),
  firstAt: z.iso.datetime(),
  lastAt: z.iso.datetime(),
});

/** An event a plugin emitted, as the audit trail keeps it: its payload stays out (tenant data). */
export const AuditedEmittedEventSchema = z.object({
  name: z.string().max(256).optional(),
  nameSha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * What a `security:anomaly` record adds: the rule, its window and figures, and the audit event ids
 * it saw. All of it is ids, times and numbers, so no free text (a patient's name) can ride along.
 */
export const AuditedAnomalySchema = z
  .object({
    rule: AnomalyRuleSchema,
    windowStart: z.iso.datetime(),
    windowEnd: z.iso.datetime(),
    observed: z.number().int().nonnegative(),
    threshold: z.number().nonnegative(),
  })
  .strict();

/** A plugin API operation as the audit trail names it: `patients.get`, `appointments.schedule`… */
const OPERATION_PATTERN = /^[a-z][A-Za-z]{0,31}\.[a-z][A-Za-z]{0,31}$/;
const PERMISSION_PATTERN = /^[a-z][a-z-]{0,31}:[a-z][a-z-]{0,31}$/;
/** Most ids one data-access entry lists (a search over a large page still fits one DynamoDB item). */
export const MAX_AUDITED_IDS = 1_000;

/**
 * One kind of plugin data access in a run, coalesced by operation and outcome: which patient and
 * appointment ids it touched (ids only), how many calls, and the permission a refusal lacked.
 */
export const AuditedDataAccessSchema = z
  .object({
    operation: matching(OPERATION_PATTERN),
    outcome: z.enum(AUDIT_OUTCOMES),
    count: z.number().int().min(1),
    patientIds: z.array(passing(RecordIdSchema)).max(MAX_AUDITED_IDS).optional(),
    appointmentIds: z.array(passing(RecordIdSchema)).max(MAX_AUDITED_IDS).optional(),
    deniedPermission: matching(PERMISSION_PATTERN).optional(),
  })
  .strict();
export type AuditedDataAccess = z.input<typeof AuditedDataAccessSchema>;

const ROUTE_KEY_PATTERN = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/[A-Za-z0-9/{}._-]{0,200}$/;
const SCOPE_PATTERN = /^[a-z][a-z-]{0,31}:[a-z][a-z-]{0,31}$/;
const IP_PATTERN = /^[0-9A-Fa-f:.]{2,45}$/;
const TARGET_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,31}$/;
/** A user agent is client text: kept printable and short, never parsed. */
const USER_AGENT_PATTERN = /^[\x20-\x7e]{1,256}$/;

/** What an API request adds to its record: the route, who called from where, and the answer's status. */
export const AuditedRequestSchema = z
  .object({
    routeKey: matching(ROUTE_KEY_PATTERN),
    status: z.number().int().min(100).max(599),
    scopes: z.array(matching(SCOPE_PATTERN)).max(50).optional(),
    sourceIp: matching(IP_PATTERN).optional(),
    userAgent: matching(USER_AGENT_PATTERN).optional(),
    /** Path parameters by name (`id`, `version`, `reviewId`): ids as the route names them. */
    targetIds: z.record(z.string().regex(TARGET_NAME_PATTERN), matching(KEY_ID_PATTERN)).optional(),
  })
  .strict();

/** One HIPAA audit record: who did what to which plugin in which tenant, and how it ended. */
export const AuditRecordSchema = z.object({
  action: z.string().min(1).max(128),
  outcome: z.enum(AUDIT_OUTCOMES),
  actor: matching(ACTOR_PATTERN),
  tenantId: passing(TenantIdSchema).optional(),
  pluginId: passing(PluginIdSchema).optional(),
  version: passing(SemverSchema).optional(),
  code: matching(CODE_PATTERN).optional(),
  /** Ids of records touched (patients, appointments): never their contents. */
  resourceIds: z.array(passing(RecordIdSchema)).optional(),
  requestId: matching(REQUEST_ID_PATTERN).optional(),
  /** A publisher signing key acted on: its id, derived from the public key. */
  keyId: matching(KEY_ID_PATTERN).optional(),
  reason: z.string().max(500).optional(),
  /** A marketplace review acted on (reported, replied to, hidden): its public id, never its text. */
  reviewId: matching(KEY_ID_PATTERN).optional(),
  occurrences: AuditOccurrencesSchema.optional(),
  emittedEvents: z.array(AuditedEmittedEventSchema).max(100).optional(),
  /** The publisher (its id) a signature or provenance check was about. */
  publisherId: matching(KEY_ID_PATTERN).optional(),
  anomaly: AuditedAnomalySchema.optional(),
  /** Ids of the audit events an anomaly is based on (find them in the audit query). */
  evidenceRecordIds: z.array(passing(EvidenceRecordIdSchema)).max(MAX_EVIDENCE_IDS).optional(),
  /** A plugin run's data accesses through the plugin API, by operation and outcome. */
  dataAccess: z.array(AuditedDataAccessSchema).max(100).optional(),
  /** An API request's route, caller and status (`api:request` records). */
  request: AuditedRequestSchema.optional(),
});
export type AuditRecord = z.input<typeof AuditRecordSchema>;

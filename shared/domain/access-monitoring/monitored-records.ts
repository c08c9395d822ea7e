import { AuditRecordSchema, isAuditRecordEvent, type PlatformEvent } from '../platform-events.ts';
import type { AnomalyRule } from './anomaly.ts';
import type { AccessObservation } from './observation.ts';

/** Records of runs, with the patient ids each run touched. */
const PATIENT_ACCESS_ACTIONS: ReadonlySet<string> = new Set(['plugin:invoked', 'plugin:event-delivered']);
const PERMISSION_DENIAL_ACTIONS: ReadonlySet<string> = new Set(['security:permission-denied']);
/** A signature that did not verify, a tampered or unproven artifact, a revoked publisher key in use. */
const VERIFICATION_FAILURE_ACTIONS: ReadonlySet<string> = new Set([
  'security:release-verification-failed',
  'security:revoked-publisher-key-used',
  'security:unverified-artifact-refused',
]);

/**
 * Whose state a record counts into: a plugin in a tenant, or a publisher (platform-wide when the
 * record names the publisher, as a marketplace publish does; else per tenant, by key or plugin).
 */
export type MonitorSubject =
  | {
      readonly rule: Exclude<AnomalyRule, 'PublisherVerificationFailures'>;
      readonly tenantId: string;
      readonly pluginId: string;
    }
  | {
      readonly rule: 'PublisherVerificationFailures';
      readonly tenantId?: string | undefined;
      readonly publisherId: string;
    };

const isRecorded = (value: string | undefined): value is string =>
  value !== undefined && !value.startsWith('invalid:');

export interface MonitoredRecord {
  readonly subject: MonitorSubject;
  readonly observation: AccessObservation;
}

/**
 * What one `audit:*` event means to the rules: nothing (most records), or one observation per rule
 * it feeds. The event's envelope id is the record id the evidence lists; an event whose detail is
 * not an audit record is ignored rather than trusted.
 */
export function monitoredRecordsOf(event: PlatformEvent): MonitoredRecord[] {
  if (!isAuditRecordEvent(event)) return [];
  const parsed = AuditRecordSchema.safeParse(event.detail);
  if (!parsed.success) return [];
  const record = parsed.data;
  const at = new Date(event.time);
  const base = { recordId: event.id, at, weight: 1, patientIds: [] as string[] };
  // A value that failed its own schema is recorded as `invalid:length=N`: no one to count it for.
  const tenantId = isRecorded(record.tenantId) ? record.tenantId : undefined;
  const pluginId = isRecorded(record.pluginId) ? record.pluginId : undefined;
  const publisherId = isRecorded(record.publisherId) ? record.publisherId : undefined;
  const keyId = isRecorded(record.keyId) ? record.keyId : undefined;
  if (PATIENT_ACCESS_ACTIONS.has(record.action) && tenantId && pluginId && record.resourceIds?.length) {
    const observation = { ...base, patientIds: record.resourceIds };
    return [
      { subject: { rule: 'DistinctPatientRate', tenantId, pluginId }, observation },
      { subject: { rule: 'OffHoursBulkAccess', tenantId, pluginId }, observation },
    ];
  }
  if (PERMISSION_DENIAL_ACTIONS.has(record.action) && tenantId && pluginId) {
    const observation = { ...base, weight: record.occurrences?.count ?? 1 };
    return [{ subject: { rule: 'PermissionDenialBurst', tenantId, pluginId }, observation }];
  }
  if (VERIFICATION_FAILURE_ACTIONS.has(record.action)) {
    const subject: MonitorSubject | undefined = publisherId
      ? { rule: 'PublisherVerificationFailures', publisherId }
      : tenantId && (keyId ?? pluginId)
        ? { rule: 'PublisherVerificationFailures', tenantId, publisherId: keyId ?? pluginId ?? '' }
        : undefined;
    return subject ? [{ subject, observation: base }] : [];
  }
  return [];
}

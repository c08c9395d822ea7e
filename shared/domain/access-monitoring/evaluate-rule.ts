import type { AccessMonitoringPolicy } from './access-monitoring-policy.ts';
import type { AnomalyRule } from './anomaly.ts';
import type { AccessObservation, RuleStep } from './observation.ts';
import { countOffHoursAccess } from './off-hours-bulk-rule.ts';
import { countPatientAccess, PatientRateStateSchema } from './patient-rate-rule.ts';
import { countPermissionDenial } from './permission-denial-rule.ts';
import { countPublisherFailure } from './publisher-failure-rule.ts';
import { EMPTY_WINDOW, WindowStateSchema } from './sliding-window.ts';

const HOUR_SECONDS = 3600;
/** A baseline is worth keeping for a week of silence: a weekly job should still meet its own history. */
const BASELINE_RETENTION_SECONDS = 7 * 24 * HOUR_SECONDS;

export function isRuleEnabled(rule: AnomalyRule, policy: AccessMonitoringPolicy): boolean {
  switch (rule) {
    case 'DistinctPatientRate':
      return policy.patientRate.enabled;
    case 'PermissionDenialBurst':
      return policy.permissionDenials.enabled;
    case 'OffHoursBulkAccess':
      return policy.offHoursBulk.enabled;
    case 'PublisherVerificationFailures':
      return policy.publisherFailures.enabled;
  }
}

/** How long a key's state outlives its last record: its window, plus an hour for late records. */
export function stateRetentionSeconds(rule: AnomalyRule, policy: AccessMonitoringPolicy): number {
  switch (rule) {
    case 'DistinctPatientRate':
      return BASELINE_RETENTION_SECONDS;
    case 'PermissionDenialBurst':
      return policy.permissionDenials.windowSeconds + HOUR_SECONDS;
    case 'OffHoursBulkAccess':
      return policy.offHoursBulk.windowSeconds + HOUR_SECONDS;
    case 'PublisherVerificationFailures':
      return policy.publisherFailures.windowSeconds + HOUR_SECONDS;
  }
}

/**
 * One rule applied to one record over the key's stored state. A blob that does not parse (written
 * by an older shape) starts the key afresh rather than failing the stream.
 */
export function evaluateRule(
  rule: AnomalyRule,
  stored: unknown,
  observation: AccessObservation,
  policy: AccessMonitoringPolicy,
): RuleStep<unknown> {
  if (rule === 'DistinctPatientRate') {
    const parsed = PatientRateStateSchema.safeParse(stored);
    return countPatientAccess(parsed.success ? parsed.data : undefined, observation, policy.patientRate);
  }
  const parsed = WindowStateSchema.safeParse(stored);
  const window = parsed.success ? parsed.data : EMPTY_WINDOW;
  switch (rule) {
    case 'PermissionDenialBurst':
      return countPermissionDenial(window, observation, policy.permissionDenials);
    case 'OffHoursBulkAccess':
      return countOffHoursAccess(window, observation, policy);
    case 'PublisherVerificationFailures':
      return countPublisherFailure(window, observation, policy.publisherFailures);
  }
}

import type { AccessMonitoringPolicy } from './access-monitoring-policy.ts';
import { isWithinBusinessHours } from './business-hours.ts';
import type { AccessObservation, RuleStep } from './observation.ts';
import { countIntoWindow, type WindowState } from './sliding-window.ts';

/**
 * Bulk access outside the tenant's business hours: distinct patients one plugin touched in records
 * made outside those hours, within `windowSeconds`, exceed `maxPatients`. Records made during
 * business hours are not counted at all.
 */
export function countOffHoursAccess(
  state: WindowState,
  observation: AccessObservation,
  policy: Pick<AccessMonitoringPolicy, 'offHoursBulk' | 'businessHours'>,
): RuleStep<WindowState> {
  if (observation.patientIds.length === 0 || isWithinBusinessHours(observation.at, policy.businessHours)) {
    return { state, isCounted: false };
  }
  return countIntoWindow(state, observation, {
    windowSeconds: policy.offHoursBulk.windowSeconds,
    threshold: policy.offHoursBulk.maxPatients,
    measure: 'distinct-patients',
  });
}

import type { AccessMonitoringPolicy } from './access-monitoring-policy.ts';
import type { AccessObservation, RuleStep } from './observation.ts';
import { countIntoWindow, type WindowState } from './sliding-window.ts';

/**
 * A burst of permission denials for one plugin in one tenant: the denials (each run's coalesced
 * count, so a hostile loop weighs what it tried) within `windowSeconds` exceed `maxDenials`.
 */
export function countPermissionDenial(
  state: WindowState,
  observation: AccessObservation,
  policy: AccessMonitoringPolicy['permissionDenials'],
): RuleStep<WindowState> {
  return countIntoWindow(state, observation, {
    windowSeconds: policy.windowSeconds,
    threshold: policy.maxDenials,
    measure: 'weight',
  });
}

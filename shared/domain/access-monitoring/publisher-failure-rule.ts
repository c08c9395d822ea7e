import type { AccessMonitoringPolicy } from './access-monitoring-policy.ts';
import type { AccessObservation, RuleStep } from './observation.ts';
import { countIntoWindow, type WindowState } from './sliding-window.ts';

/**
 * Repeated signature or provenance failures of one publisher: the failures within `windowSeconds`
 * exceed `maxFailures`. Marketplace publishes count across tenants, installs per tenant.
 */
export function countPublisherFailure(
  state: WindowState,
  observation: AccessObservation,
  policy: AccessMonitoringPolicy['publisherFailures'],
): RuleStep<WindowState> {
  return countIntoWindow(
    state,
    { ...observation, weight: 1 },
    {
      windowSeconds: policy.windowSeconds,
      threshold: policy.maxFailures,
      measure: 'weight',
    },
  );
}

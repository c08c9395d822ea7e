import { SUBSCRIBABLE_PLATFORM_EVENTS } from '../domain/manifest.ts';
import { PLATFORM_EVENT_SOURCE } from '../domain/platform-events.ts';
import { PLUGIN_EVENT_PREFIX } from '../sandbox/event-names.ts';

/**
 * EventBridge rule patterns, defined once: the CDK audit and execution stacks create rules from
 * them and the local in-process bus routes with `matchesRule`, so both deliver the same events.
 */
export interface EventRule {
  readonly name: string;
  readonly source: readonly string[];
  /** Exact detail-types, or prefixes (EventBridge `{ prefix }` matching). */
  readonly detailTypes?: readonly string[];
  readonly detailTypePrefixes?: readonly string[];
  /** Detail-types starting with any of these never match (EventBridge `anything-but` `prefix`). */
  readonly excludedDetailTypePrefixes?: readonly string[];
}

/**
 * Every platform event, audit records included, is kept in the compliance log, except the events
 * plugins emit: their payloads are tenant data a plugin chose (possibly PHI), and Object Lock would
 * keep them for six years beyond correction. The audit record of the run that emitted them lists
 * each one's name, size and SHA-256 instead.
 */
export const COMPLIANCE_LOG_RULE: EventRule = {
  name: 'compliance-log',
  source: [PLATFORM_EVENT_SOURCE],
  excludedDetailTypePrefixes: [PLUGIN_EVENT_PREFIX],
};

/** Data events and plugin-emitted events go to the execution function for subscribed plugins. */
export const PLUGIN_SUBSCRIPTION_RULE: EventRule = {
  name: 'plugin-subscriptions',
  source: [PLATFORM_EVENT_SOURCE],
  detailTypes: SUBSCRIBABLE_PLATFORM_EVENTS,
  detailTypePrefixes: [PLUGIN_EVENT_PREFIX],
};

export function matchesRule(rule: EventRule, event: { source: string; detailType: string }): boolean {
  if (!rule.source.includes(event.source)) return false;
  if (rule.excludedDetailTypePrefixes?.some((prefix) => event.detailType.startsWith(prefix))) return false;
  if (!rule.detailTypes && !rule.detailTypePrefixes) return true;
  return (
    (rule.detailTypes?.includes(event.detailType) ?? false) ||
    (rule.detailTypePrefixes?.some((prefix) => event.detailType.startsWith(prefix)) ?? false)
  );
}

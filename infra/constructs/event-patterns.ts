import { type EventPattern, Match } from 'aws-cdk-lib/aws-events';
import type { EventRule } from '../../shared/events/event-rules.ts';

/**
 * The EventBridge pattern for a shared rule definition: the local in-process bus routes with the
 * same definitions (`matchesRule`), so AWS and the local platform deliver the same events.
 */
export function eventPatternOf(rule: EventRule): EventPattern {
  const exact = rule.detailTypes ?? [];
  const prefixes = rule.detailTypePrefixes ?? [];
  if (exact.length === 0 && prefixes.length === 0) return { source: [...rule.source] };
  return {
    source: [...rule.source],
    detailType:
      prefixes.length === 0
        ? [...exact]
        : Match.anyOf(...exact, ...prefixes.map((prefix) => Match.prefix(prefix))),
  };
}

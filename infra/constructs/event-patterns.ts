import { type EventPattern, Match } from 'aws-cdk-lib/aws-events';
import type { EventRule } from '../../shared/events/event-rules.ts';

/**
 * The EventBridge pattern for a shared rule definition: the local in-process bus routes with the
 * same definitions (`matchesRule`), so AWS and the local platform deliver the same events.
 */
export function eventPatternOf(rule: EventRule): EventPattern {
  const exact = rule.detailTypes ?? [];
  const prefixes = rule.detailTypePrefixes ?? [];
  const excluded = rule.excludedDetailTypePrefixes ?? [];
  if (exact.length === 0 && prefixes.length === 0) {
    return {
      source: [...rule.source],
      ...(excluded.length === 0 ? {} : { detailType: Match.anythingButPrefix(...excluded) }),
    };
  }
  if (excluded.length > 0)
    throw new Error(`rule ${rule.name}: exclusions apply only to rules matching any type`);
  return {
    source: [...rule.source],
    detailType:
      prefixes.length === 0
        ? [...exact]
        : Match.anyOf(...exact, ...prefixes.map((prefix) => Match.prefix(prefix))),
  };
}

import type { DynamoDBRecord } from 'aws-lambda';

/** A Lambda event-filter pattern as far as the platform uses it: literal values and `prefix`. */
type FilterValue = string | number | { readonly prefix: string };
type FilterPattern = { readonly [key: string]: FilterPattern | readonly FilterValue[] };

function matchesValues(value: unknown, allowed: readonly FilterValue[]): boolean {
  return allowed.some((candidate) =>
    typeof candidate === 'object'
      ? typeof value === 'string' && value.startsWith(candidate.prefix)
      : value === candidate,
  );
}

function matchesPattern(value: unknown, pattern: FilterPattern): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, expected]) => {
    const field = (value as Record<string, unknown>)[key];
    return Array.isArray(expected)
      ? matchesValues(field, expected as readonly FilterValue[])
      : matchesPattern(field, expected as FilterPattern);
  });
}

/**
 * What Lambda's filter criteria do before the consumer is invoked, for the local poller: a record
 * is passed on only when every field the pattern names matches one of its values.
 */
export function matchesStreamFilter(record: DynamoDBRecord, pattern: FilterPattern): boolean {
  return matchesPattern(record, pattern);
}

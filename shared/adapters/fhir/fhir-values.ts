/**
 * Defensive readers for FHIR JSON as EHRs send it: any member may be missing, repeated, of the
 * wrong type or carry only extensions. Each answers undefined (or an empty list) rather than
 * throwing, so one odd field never costs the whole record.
 */

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Objects of a list member; a single object where a list belongs is taken as a list of one. */
export function asObjects(value: unknown): JsonObject[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.map(asObject).filter((item): item is JsonObject => item !== undefined);
}

export function asStrings(value: unknown): string[] {
  return (Array.isArray(value) ? value : [])
    .map(asString)
    .filter((item): item is string => item !== undefined);
}

/** `CodeableConcept` as one string: its text, else the first coding's display, else its code. */
export function codeableText(value: unknown): string | undefined {
  const concept = asObject(value);
  if (!concept) return undefined;
  const text = asString(concept.text);
  if (text) return text;
  for (const coding of asObjects(concept.coding)) {
    const label = asString(coding.display) ?? asString(coding.code);
    if (label) return label;
  }
  return undefined;
}

/** False only for a `period` that ended before `now`: a name or telecom no longer in use. */
export function isCurrent(item: JsonObject, now: number): boolean {
  const end = asString(asObject(item.period)?.end);
  if (!end) return true;
  const endsAt = Date.parse(end);
  return Number.isNaN(endsAt) || endsAt >= now;
}

/** The value if the schema accepts it, else undefined: odd values are dropped, never thrown. */
export function valid<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  value: unknown,
): T | undefined {
  if (value === undefined) return undefined;
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** Drops absent members, so a projection carries no `key: undefined`. */
export function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;
}

import { z } from 'zod';

/** A version as a strong entity tag: `"3"`. */
export const entityTagOf = (version: number): string => `"${version}"`;

/**
 * `If-Match` as a version, or `'*'` (any current version). RFC 9110 compares If-Match strongly,
 * so a weak tag (`W/"3"`) can never match and is refused rather than silently accepted.
 */
export const IfMatchSchema = z
  .string()
  .trim()
  .regex(/^(?:\*|"\d{1,12}")$/, 'must be the ETag read, such as "3", or *')
  .transform((value) => (value === '*' ? ('*' as const) : Number(value.slice(1, -1))));
export type IfMatch = z.output<typeof IfMatchSchema>;

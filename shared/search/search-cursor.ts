import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';

const CursorSchema = z.object({ o: z.number().int().min(0).max(10_000_000), f: z.string().max(32) });

/** Ties a cursor to the query that issued it, so a cursor pasted onto another query is refused. */
export function fingerprintOf(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeSearchCursor(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

export function decodeSearchCursor(cursor: string | undefined, fingerprint: string): number {
  if (cursor === undefined) return 0;
  const invalid = new ValidationError([
    { field: 'query.cursor', message: 'is not a cursor for this search' },
  ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const result = CursorSchema.safeParse(parsed);
  if (!result.success || result.data.f !== fingerprint) throw invalid;
  return result.data.o;
}

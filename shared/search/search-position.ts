import { createHash } from 'node:crypto';
import { z } from 'zod';
import { invalidCursor } from '../domain/errors/request-errors.ts';

const PositionSchema = z.object({ o: z.number().int().min(0).max(10_000_000), f: z.string().max(32) });

/** Ties a position to the query that issued it, so a cursor pasted onto another query is refused. */
export function fingerprintOf(parts: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/** An offset into one query's results; a caller sees it only sealed by the HTTP cursor codec. */
export function encodeSearchPosition(offset: number, fingerprint: string): string {
  return JSON.stringify({ o: offset, f: fingerprint });
}

export function decodeSearchPosition(position: string | undefined, fingerprint: string): number {
  if (position === undefined) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(position);
  } catch (error) {
    throw invalidCursor(error);
  }
  const result = PositionSchema.safeParse(parsed);
  if (!result.success || result.data.f !== fingerprint) throw invalidCursor();
  return result.data.o;
}

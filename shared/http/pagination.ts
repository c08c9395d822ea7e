import { z } from 'zod';
import type { PageRequest } from '../ports/page.ts';
import { parseWith } from './parse-request.ts';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** Opaque; its length and content are judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
  cursor: z.string().optional(),
});

export function parsePageQuery(query: Readonly<Record<string, string>>): PageRequest {
  return parseWith(PageQuerySchema, { limit: query.limit, cursor: query.cursor }, 'query');
}

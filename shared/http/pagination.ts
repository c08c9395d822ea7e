import { z } from 'zod';
import type { PageRequest } from '../ports/page.ts';
import { parseWith } from './parse-request.ts';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export function parsePageQuery(query: Readonly<Record<string, string>>): PageRequest {
  return parseWith(PageQuerySchema, { limit: query.limit, cursor: query.cursor }, 'query');
}

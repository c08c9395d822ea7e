import { z } from 'zod';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  /** Opaque; its length and content are judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
  cursor: z.string().optional(),
});

import { z } from 'zod';

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25).describe('Items per page'),
  /** Opaque; its length and content are judged by the cursor codec, so every bad cursor is INVALID_CURSOR. */
  cursor: z
    .string()
    .optional()
    .describe("The previous page's `nextCursor`: opaque, bound to the caller's tenant and this list"),
});

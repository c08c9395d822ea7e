import { z } from 'zod';

/**
 * Text people write for other people (reviews, release notes) is plain text: stored as given and
 * never rendered as markup by the platform. Control characters other than newline and tab are
 * refused so that logs and terminals cannot be spoofed.
 */
export const PlainTextSchema = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
    .refine((text) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text), 'must be plain text');

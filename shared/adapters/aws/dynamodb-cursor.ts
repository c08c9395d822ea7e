import { z } from 'zod';
import { ValidationError } from '../../domain/errors.ts';

const KeySchema = z.record(z.string(), z.union([z.string(), z.number()]));

export type DynamoKey = z.infer<typeof KeySchema>;

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/**
 * Decodes a cursor this adapter issued. `expectedPartition` pins it to the caller's partition, so a
 * cursor edited to point at another tenant's keys is refused rather than followed.
 */
export function decodeCursor(
  cursor: string | undefined,
  expectedPartition: { name: string; value: string },
): DynamoKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const key = KeySchema.safeParse(parsed);
  if (!key.success || key.data[expectedPartition.name] !== expectedPartition.value) throw invalid;
  return key.data;
}

import { z } from 'zod';
import { invalidCursor } from '../../domain/errors/request-errors.ts';

const KeySchema = z.record(z.string(), z.union([z.string(), z.number()]));

export type DynamoKey = z.infer<typeof KeySchema>;

/**
 * A page's LastEvaluatedKey as a position string. It reaches a caller only sealed by the HTTP
 * cursor codec (shared/http/cursor-codec.ts), which refuses any position it did not issue.
 */
export function encodeStartKey(key: Record<string, unknown> | undefined): string | undefined {
  return key ? JSON.stringify(key) : undefined;
}

/**
 * Reads a position back into an ExclusiveStartKey. `expectedPartition` pins it to the caller's
 * partition, as a second line behind the codec's MAC: a position for another partition, or one
 * that is not a key at all, is refused rather than handed to DynamoDB.
 */
export function decodeStartKey(
  position: string | undefined,
  expectedPartition: { name: string; value: string },
): DynamoKey | undefined {
  if (position === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(position);
  } catch (error) {
    throw invalidCursor(error);
  }
  const key = KeySchema.safeParse(parsed);
  if (!key.success || key.data[expectedPartition.name] !== expectedPartition.value) {
    throw invalidCursor();
  }
  return key.data;
}

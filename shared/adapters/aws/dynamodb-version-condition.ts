/**
 * The condition of a versioned write: create when `expectedVersion` is 0, else only while the stored
 * item still has that version (optimistic locking; the loser gets ConditionalCheckFailedException).
 */
export function versionCondition(expectedVersion: number): {
  ConditionExpression: string;
  ExpressionAttributeValues?: Record<string, number>;
} {
  return expectedVersion === 0
    ? { ConditionExpression: 'attribute_not_exists(PK)' }
    : {
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      };
}

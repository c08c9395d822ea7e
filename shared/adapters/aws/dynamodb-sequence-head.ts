import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

export const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  error instanceof TransactionCanceledException ||
  (error as { name?: string }).name === 'ConditionalCheckFailedException' ||
  (error as { name?: string }).name === 'TransactionCanceledException';

export interface SequenceHeadAdvance {
  readonly tableName: string;
  /** The new head item (its PK and SK included). */
  readonly head: Record<string, unknown>;
  /** The attributes the stored head must still have (undefined: no head may exist yet). */
  readonly expected: Readonly<Record<string, string | number>> | undefined;
  /** Items written with the head, each only if its key is new (the entry's marker, its item). */
  readonly entries: readonly Record<string, unknown>[];
}

/**
 * Moves a per-tenant sequence head (the audit chain's, the events feed's) in one TransactWriteItems:
 * the head put on the condition that it is still the one read, with the entry's items put on the
 * condition that they are new. Answers false, having written nothing, when either condition fails.
 */
export async function advanceSequenceHead(
  client: DynamoDBDocumentClient,
  advance: SequenceHeadAdvance,
): Promise<boolean> {
  const expected = Object.entries(advance.expected ?? {});
  const names = Object.fromEntries(expected.map(([name], index) => [`#e${index}`, name]));
  const values = Object.fromEntries(expected.map(([, value], index) => [`:e${index}`, value]));
  try {
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: advance.tableName,
              Item: advance.head,
              ...(advance.expected === undefined
                ? { ConditionExpression: 'attribute_not_exists(PK)' }
                : {
                    ConditionExpression: expected.map((_, index) => `#e${index} = :e${index}`).join(' AND '),
                    ExpressionAttributeNames: names,
                    ExpressionAttributeValues: values,
                  }),
            },
          },
          ...advance.entries.map((Item) => ({
            Put: { TableName: advance.tableName, Item, ConditionExpression: 'attribute_not_exists(PK)' },
          })),
        ],
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

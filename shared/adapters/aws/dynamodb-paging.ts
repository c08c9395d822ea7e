import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../ports/page.ts';
import { decodeStartKey, encodeStartKey } from './dynamodb-start-key.ts';

/**
 * Queries one page and asks for one item more than the page holds, so `nextCursor` is present only
 * when another item really exists (DynamoDB alone would hand out a cursor to an empty last page).
 * Only for key conditions without a filter, where `Limit` counts matching items.
 */
export async function queryPage<T>(
  client: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  page: PageRequest,
  partition: { name: string; value: string },
  keyAttributes: readonly string[],
  toItem: (raw: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const result = await client.send(
    new QueryCommand({
      ...input,
      Limit: page.limit + 1,
      ExclusiveStartKey: decodeStartKey(page.cursor, partition),
    }),
  );
  const raw = result.Items ?? [];
  const pageItems = raw.slice(0, page.limit);
  const last = pageItems.at(-1);
  const hasMore = raw.length > page.limit;
  return {
    items: pageItems.map(toItem),
    nextCursor:
      hasMore && last
        ? encodeStartKey(Object.fromEntries(keyAttributes.map((name) => [name, last[name]])))
        : undefined,
  };
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { concurrentModification } from '../../domain/errors/lifecycle-errors.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import { MAX_TRANSACT_ITEMS, outboxPuts } from './audit-table-items.ts';
import { failedConditions } from './dynamodb-marketplace-keys.ts';
import { versionCondition } from './dynamodb-version-condition.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The change items of a write, where the table names the tables they write to. */
export interface OutboxWrite {
  readonly client: DynamoDBDocumentClient;
  readonly auditTableName: string;
  /** The change: its items come first in the transaction, so their reasons keep their positions. */
  readonly changes: readonly TransactItem[];
  readonly outbox: OutboxEntries;
}

/**
 * Writes a change and its outbox entries in one TransactWriteItems, so neither commits without the
 * other. A single item with no entries stays the plain Put/Update/Delete it always was (half the
 * write cost); its condition failure then answers as the transaction's would (see `changeFailed`).
 */
export async function writeWithOutbox(write: OutboxWrite): Promise<void> {
  const { client, auditTableName, changes, outbox } = write;
  const [only] = changes;
  if (changes.length === 1 && only && outbox.length === 0) {
    await sendSingle(client, only);
    return;
  }
  const items = [...changes, ...outboxPuts(auditTableName, outbox)];
  if (items.length > MAX_TRANSACT_ITEMS)
    throw new RangeError(`a change and its outbox entries hold at most ${MAX_TRANSACT_ITEMS} items`);
  await client.send(new TransactWriteCommand({ TransactItems: items }));
}

async function sendSingle(client: DynamoDBDocumentClient, item: TransactItem): Promise<void> {
  if (item.Put) await client.send(new PutCommand(item.Put));
  else if (item.Update) await client.send(new UpdateCommand(item.Update));
  else if (item.Delete) await client.send(new DeleteCommand(item.Delete));
  else throw new TypeError('a single write is a Put, an Update or a Delete');
}

/**
 * Whether the change item at `index` failed its condition: as a plain write's
 * ConditionalCheckFailedException, or by its position in a cancelled transaction's reasons (an
 * outbox put failing its own condition is a retried entry, never the change's refusal).
 */
export function changeFailed(error: unknown, index = 0): boolean {
  if (error instanceof ConditionalCheckFailedException) return index === 0;
  return failedConditions(error)?.[index] === true;
}

/**
 * A tenant's one versioned item (its policy, its EHR connection) replaced only while the stored
 * version is still `expectedVersion` (0: not stored yet), with the change's outbox entries in the
 * same transaction; a lost race is CONCURRENT_MODIFICATION naming `what`.
 */
export async function putVersionedWithOutbox(
  write: Omit<OutboxWrite, 'changes'> & {
    readonly tableName: string;
    readonly key: { readonly PK: string; readonly SK: string };
    readonly version: number;
    readonly data: unknown;
    readonly expectedVersion: number;
    readonly what: Parameters<typeof concurrentModification>[0];
  },
): Promise<void> {
  try {
    await writeWithOutbox({
      client: write.client,
      auditTableName: write.auditTableName,
      changes: [
        {
          Put: {
            TableName: write.tableName,
            Item: { ...write.key, version: write.version, data: write.data },
            ...versionCondition(write.expectedVersion),
          },
        },
      ],
      outbox: write.outbox,
    });
  } catch (error) {
    if (changeFailed(error)) throw concurrentModification(write.what, error);
    throw error;
  }
}

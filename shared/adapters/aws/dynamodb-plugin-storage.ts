import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { HostError } from '../../sandbox/errors.ts';
import type { PluginStorage, QuotaWrite } from '../../sandbox/host.ts';
import type { JsonValue } from '../../sandbox/schemas.ts';
import {
  storageBytesKey,
  storageEntryKey,
  storageEntryPrefix,
  storagePrefix,
  tenantPartition,
} from './plugins-table-usage-keys.ts';

/** DynamoDB items are at most 400 KB; a value near that could not be stored with its key. */
export const MAX_STORAGE_VALUE_BYTES = 350_000;
const MAX_LISTED_KEYS = 1_000;
const WRITE_ATTEMPTS = 5;
const BATCH = 25;

interface Entry {
  readonly bytes: number;
  readonly revision: number;
}

/**
 * Plugin key/value storage per tenant and plugin. Each write moves the entry and the plugin's
 * bytes counter in one transaction: the counter only grows while it stays within the quota, and
 * the entry only changes at the revision the write was computed from. So concurrent writers on any
 * number of instances can neither exceed the quota nor make the counter drift from the entries.
 */
export class DynamoDbPluginStorage {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  forPlugin(tenantId: string, pluginId: string, quotaBytes: number): PluginStorage {
    const scope = { partition: tenantPartition(tenantId), pluginId, quotaBytes };
    return {
      get: (key) => this.get(scope, key),
      set: async (key, value) => {
        const written = await this.write(scope, key, value, quotaBytes);
        if (!written.isStored) throw quotaExceeded(quotaBytes);
      },
      setWithinQuota: (key, value, quota) => this.write(scope, key, value, Math.min(quota, quotaBytes)),
      delete: (key) => this.remove(scope, key),
      list: (prefix) => this.list(scope, prefix),
      bytesUsed: () => this.bytesUsed(scope),
    };
  }

  /** Uninstall: removes every entry and the counter of this tenant's plugin. */
  async deleteAll(tenantId: string, pluginId: string): Promise<void> {
    const partition = tenantPartition(tenantId);
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': storagePrefix(pluginId) },
        ProjectionExpression: 'PK, SK',
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      const keys = (page.Items ?? []).map((item) => ({ PK: item.PK, SK: item.SK }));
      for (let start = 0; start < keys.length; start += BATCH) {
        await this.deleteBatch(keys.slice(start, start + BATCH));
      }
    }
  }

  private async get(scope: Scope, key: string): Promise<JsonValue | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: scope.partition, SK: storageEntryKey(scope.pluginId, key) },
        ConsistentRead: true,
      }),
    );
    const value = result.Item?.value;
    return typeof value === 'string' ? (JSON.parse(value) as JsonValue) : undefined;
  }

  /**
   * One transaction moves the entry (at the revision it was read at) and the bytes counter (only
   * growing while it stays within the quota): an entry is never stored uncounted, and a refused or
   * failed write changes neither, so nothing is lost or leaked on a partial failure.
   */
  private async write(scope: Scope, key: string, value: JsonValue, quotaBytes: number): Promise<QuotaWrite> {
    const json = JSON.stringify(value);
    const bytes = Buffer.byteLength(key) + Buffer.byteLength(json);
    if (bytes > MAX_STORAGE_VALUE_BYTES) {
      throw new HostError('QuotaExceeded', `storage entries are limited to ${MAX_STORAGE_VALUE_BYTES} bytes`);
    }
    let delta = 0;
    const refused = await this.withRetries(async () => {
      const previous = await this.entry(scope, key);
      delta = bytes - (previous?.bytes ?? 0);
      if (delta > 0 && delta > quotaBytes) return { bytesUsed: await this.bytesUsed(scope) };
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  PK: scope.partition,
                  SK: storageEntryKey(scope.pluginId, key),
                  storageKey: key,
                  value: json,
                  bytes,
                  revision: (previous?.revision ?? 0) + 1,
                },
                ...atRevision(previous),
              },
            },
            this.counterUpdate(scope, delta, quotaBytes),
          ],
        }),
      );
      return undefined;
    });
    return refused
      ? { isStored: false, deltaBytes: delta, bytesUsed: refused.bytesUsed }
      : { isStored: true, deltaBytes: delta };
  }

  private async remove(scope: Scope, key: string): Promise<void> {
    await this.withRetries(async () => {
      const previous = await this.entry(scope, key);
      if (!previous) return undefined;
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { PK: scope.partition, SK: storageEntryKey(scope.pluginId, key) },
                ...atRevision(previous),
              },
            },
            this.counterUpdate(scope, -previous.bytes, scope.quotaBytes),
          ],
        }),
      );
      return undefined;
    });
  }

  private async list(scope: Scope, prefix: string | undefined): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: {
          ':pk': scope.partition,
          ':prefix': storageEntryPrefix(scope.pluginId) + (prefix ?? ''),
        },
        ProjectionExpression: 'storageKey',
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        if (typeof item.storageKey === 'string') keys.push(item.storageKey);
        if (keys.length >= MAX_LISTED_KEYS) return keys;
      }
    }
    return keys;
  }

  private async bytesUsed(scope: Scope): Promise<number> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: scope.partition, SK: storageBytesKey(scope.pluginId) },
        ConsistentRead: true,
      }),
    );
    return typeof result.Item?.bytes === 'number' ? result.Item.bytes : 0;
  }

  private async entry(scope: Scope, key: string): Promise<Entry | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: scope.partition, SK: storageEntryKey(scope.pluginId, key) },
        ProjectionExpression: 'bytes, revision',
        ConsistentRead: true,
      }),
    );
    const item = result.Item;
    if (!item) return undefined;
    return { bytes: Number(item.bytes ?? 0), revision: Number(item.revision ?? 0) };
  }

  /** Growth is conditional on the quota; shrinking never is, so a plugin over quota can always free space. */
  private counterUpdate(scope: Scope, delta: number, quotaBytes: number) {
    return {
      Update: {
        TableName: this.tableName,
        Key: { PK: scope.partition, SK: storageBytesKey(scope.pluginId) },
        UpdateExpression: 'ADD bytes :delta',
        ...(delta > 0
          ? {
              ConditionExpression: 'attribute_not_exists(bytes) OR bytes <= :maximum',
              ExpressionAttributeValues: { ':delta': delta, ':maximum': quotaBytes - delta },
              // The usage the write was refused against, for the resource-exceeded report.
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            }
          : { ExpressionAttributeValues: { ':delta': delta } }),
      },
    };
  }

  /**
   * A cancelled transaction is either the quota (the counter's condition: refuse) or a concurrent
   * write of the same entry or a transaction conflict (read again and retry).
   */
  private async withRetries(
    write: () => Promise<{ bytesUsed: number } | undefined>,
  ): Promise<{ bytesUsed: number } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const counter = reasons[1];
        if (counter?.Code === 'ConditionalCheckFailed') {
          const bytes = (counter.Item as { bytes?: number | { N?: string } } | undefined)?.bytes;
          const old = Number(typeof bytes === 'object' ? bytes.N : bytes);
          return { bytesUsed: Number.isFinite(old) ? old : 0 };
        }
        if (attempt >= WRITE_ATTEMPTS) {
          throw new HostError('RateLimited', 'storage is busy with concurrent writes; retry later', {
            cause: error,
          });
        }
      }
    }
  }

  private async deleteBatch(keys: Record<string, unknown>[]): Promise<void> {
    let pending = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let attempt = 0; pending.length > 0 && attempt < WRITE_ATTEMPTS; attempt++) {
      const result = await this.client.send(
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }),
      );
      pending = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof pending;
    }
    if (pending.length > 0) throw new Error('plugin storage could not be deleted completely');
  }
}

interface Scope {
  readonly partition: string;
  readonly pluginId: string;
  readonly quotaBytes: number;
}

function atRevision(previous: Entry | undefined) {
  return previous
    ? {
        ConditionExpression: 'revision = :revision',
        ExpressionAttributeValues: { ':revision': previous.revision },
      }
    : { ConditionExpression: 'attribute_not_exists(SK)' };
}

function quotaExceeded(quotaBytes: number): HostError {
  return new HostError('QuotaExceeded', `storage quota of ${quotaBytes} bytes exceeded`);
}

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PluginId, TenantId } from '../../domain/identifiers.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import { MAX_CONCURRENT_RUNS_LIMIT } from '../../domain/tenant-policy.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Outbox, OutboxEntries } from '../../ports/outbox.ts';
import type { LeaseSlot, RunLeaseStore } from '../../ports/run-lease-store.ts';
import type { RunContext, RunLedger, RunSettlement } from '../../ports/run-ledger.ts';
import type { UsageRepository } from '../../ports/usage-repository.ts';
import { RATE_WINDOW_MS } from '../../sandbox/limits.ts';
import { RUN_COUNTERS, runCounterKey } from '../../sandbox/usage-counters.ts';
import { MAX_TRANSACT_ITEMS, outboxPuts } from './audit-table-items.ts';
import { installationOfItem } from './dynamodb-installation-repository.ts';
import { leaseSlotOf } from './dynamodb-run-lease-store.ts';
import { storedPolicyOfItem } from './dynamodb-tenant-policy-repository.ts';
import { usageBucketUpdates } from './dynamodb-usage-buckets.ts';
import { counterRefundUpdates, type DynamoDbUsageCounters } from './dynamodb-usage-counters.ts';
import { usageAggregateUpdate } from './dynamodb-usage-repository.ts';
import { installationSortKey, POLICY_SORT_KEY, tenantPartition } from './plugins-table-keys.ts';
import { RUN_SLOT_PREFIX, runSlotKey } from './plugins-table-usage-keys.ts';

/** BatchGetItem may leave keys unprocessed under throttling; they are asked for again this often. */
const MAX_BATCH_ROUNDS = 4;
const UNPROCESSED_BACKOFF_MS = 5;

/**
 * The run ledger in the plugins table. Before a run, one consistent BatchGetItem reads the
 * installation, the tenant's policy, every run slot a policy can allow
 * (`MAX_CONCURRENT_RUNS_LIMIT` keys, so slots above a lowered cap are still counted) and the
 * buckets of the plugin's per-minute counters (handed to the counters, whose next charge then
 * needs no window read), all in the tenant's partition. After it, one TransactWriteItems adds the
 * usage to its aggregate (with the touched patient ids) and to its minute, hour and day buckets, deletes the lease item on its token and
 * gives the run's unused CPU back to the buckets it was charged to, and puts the run's outbox
 * entries (its audit record and events) in the audit table: the usage and its record commit
 * together or not at all. Entries beyond TransactWriteItems' 100 items are appended right after
 * it, before `settle` answers. If a condition fails (the ids reached their cap, the lease expired
 * and was taken over, a bucket holds less than the refund), the transaction is cancelled as a
 * whole and the writes are made on their own, each handling its own condition as before, the
 * outbox entries appended on their own too: `settle` resolves only when every entry is written.
 */
export class DynamoDbRunLedger implements RunLedger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly usage: UsageRepository;
  private readonly leases: RunLeaseStore;
  private readonly counters: DynamoDbUsageCounters;
  private readonly clock: Clock;
  private readonly auditTableName: string;
  private readonly outbox: Outbox;

  constructor(options: {
    client: DynamoDBDocumentClient;
    tableName: string;
    /** The audit table, where the outbox entries go. */
    auditTableName: string;
    /** The same outbox on its own, for the entries the transaction cannot take. */
    outbox: Outbox;
    usage: UsageRepository;
    leases: RunLeaseStore;
    counters: DynamoDbUsageCounters;
    clock: Clock;
  }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.usage = options.usage;
    this.leases = options.leases;
    this.counters = options.counters;
    this.clock = options.clock;
    this.auditTableName = options.auditTableName;
    this.outbox = options.outbox;
  }

  async readContext(tenantId: TenantId, pluginId: PluginId): Promise<RunContext> {
    const PK = tenantPartition(tenantId);
    const installationKey = installationSortKey(pluginId);
    const windows = RUN_COUNTERS.map((counter) => {
      const key = runCounterKey(tenantId, pluginId, counter);
      return { key, ...this.counters.windowKeys(key, RATE_WINDOW_MS) };
    });
    let keys: Record<string, unknown>[] = [
      { PK, SK: installationKey },
      { PK, SK: POLICY_SORT_KEY },
      ...Array.from({ length: MAX_CONCURRENT_RUNS_LIMIT }, (_, slot) => ({ PK, SK: runSlotKey(slot) })),
      ...windows.flatMap((window) => window.keys),
    ];
    const items: Record<string, unknown>[] = [];
    for (let round = 0; keys.length > 0; round++) {
      if (round === MAX_BATCH_ROUNDS) throw new Error('the run context could not be read in full');
      // Unprocessed keys mean throttling: back off a little before asking for them again.
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, UNPROCESSED_BACKOFF_MS * 2 ** round));
      const result = await this.client.send(
        new BatchGetCommand({
          RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
        }),
      );
      items.push(...(result.Responses?.[this.tableName] ?? []));
      keys = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    for (const { key, keys: bucketKeys, currentStart } of windows) {
      const wanted = new Set(bucketKeys.map((bucket) => bucket.SK));
      const bucketItems = items.filter((item) => wanted.has(String(item.SK)));
      this.counters.remember(key, RATE_WINDOW_MS, { currentStart, items: bucketItems });
    }
    const installationItem = items.find((item) => item.SK === installationKey);
    const slots: LeaseSlot[] = [];
    for (const item of items) {
      if (!String(item.SK).startsWith(RUN_SLOT_PREFIX)) continue;
      const slot = leaseSlotOf(item);
      if (slot) slots.push(slot);
    }
    return {
      installation: installationItem ? installationOfItem(installationItem) : undefined,
      policy: storedPolicyOfItem(items.find((item) => item.SK === POLICY_SORT_KEY)).policy,
      slots,
    };
  }

  async settle({ usage, lease, refunds, outbox }: RunSettlement): Promise<void> {
    const settlementItems = [
      { Update: usageAggregateUpdate(this.tableName, usage, { withPatientIds: true }) },
      {
        Delete: {
          TableName: this.tableName,
          Key: { PK: tenantPartition(lease.tenantId), SK: runSlotKey(lease.slot) },
          ConditionExpression: 'leaseToken = :token',
          ExpressionAttributeValues: { ':token': lease.token },
        },
      },
      ...counterRefundUpdates(this.tableName, refunds, this.clock).map((Update) => ({ Update })),
      ...usageBucketUpdates(this.tableName, usage).map((Update) => ({ Update })),
    ];
    const [inline = [], ...overflow] = transactionSized(outbox, MAX_TRANSACT_ITEMS - settlementItems.length);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [...settlementItems, ...outboxPuts(this.auditTableName, inline)],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      await Promise.all([
        this.usage.record(usage),
        this.leases.release(lease),
        ...refunds.map(({ key, amount, windowMs, at }) => this.counters.release(key, amount, windowMs, at)),
        this.appendAll(inline),
      ]);
    }
    await Promise.all(overflow.map((chunk) => this.outbox.append(chunk)));
  }

  private async appendAll(entries: OutboxEntries): Promise<void> {
    await Promise.all(
      transactionSized(entries, MAX_TRANSACT_ITEMS).map((chunk) => this.outbox.append(chunk)),
    );
  }
}

/**
 * TransactWriteItems takes at most 100 items and 4 MB in all; plugin events carry up to 64 KB of
 * data each (100 of them per run), so entries are cut by count and by size, with room left for
 * keys and the settlement's own items. The first part has `firstRoom` places (beside the
 * settlement), the others a whole transaction each.
 */
const MAX_TRANSACT_ENTRY_BYTES = 3 * 1024 * 1024;

function transactionSized(entries: OutboxEntries, firstRoom: number): OutboxEntries[] {
  const parts: PlatformEvent[][] = [[]];
  let room = Math.max(0, firstRoom);
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(JSON.stringify(entry));
    const current = parts[parts.length - 1] ?? [];
    if (current.length >= room || (current.length > 0 && bytes + size > MAX_TRANSACT_ENTRY_BYTES)) {
      parts.push([entry]);
      room = MAX_TRANSACT_ITEMS;
      bytes = size;
    } else {
      current.push(entry);
      bytes += size;
    }
  }
  return parts.filter((part, index) => index === 0 || part.length > 0);
}

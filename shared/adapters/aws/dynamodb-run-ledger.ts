import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { PluginId, TenantId } from '../../domain/identifiers.ts';
import { MAX_CONCURRENT_RUNS_LIMIT } from '../../domain/tenant-policy.ts';
import type { Clock } from '../../ports/clock.ts';
import type { LeaseSlot, RunLeaseStore } from '../../ports/run-lease-store.ts';
import type { RunContext, RunLedger, RunSettlement } from '../../ports/run-ledger.ts';
import type { UsageRepository } from '../../ports/usage-repository.ts';
import { RATE_WINDOW_MS } from '../../sandbox/limits.ts';
import { RUN_COUNTERS, runCounterKey } from '../../sandbox/usage-counters.ts';
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
 * gives the run's unused CPU back to the buckets it was charged to. If a condition fails (the ids reached their cap, the lease
 * expired and was taken over, a bucket holds less than the refund), the transaction is cancelled
 * as a whole and the writes are made on their own, each handling its own condition as before.
 */
export class DynamoDbRunLedger implements RunLedger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly usage: UsageRepository;
  private readonly leases: RunLeaseStore;
  private readonly counters: DynamoDbUsageCounters;
  private readonly clock: Clock;

  constructor(options: {
    client: DynamoDBDocumentClient;
    tableName: string;
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

  async settle({ usage, lease, refunds }: RunSettlement): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
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
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      await Promise.all([
        this.usage.record(usage),
        this.leases.release(lease),
        ...refunds.map(({ key, amount, windowMs, at }) => this.counters.release(key, amount, windowMs, at)),
      ]);
    }
  }
}

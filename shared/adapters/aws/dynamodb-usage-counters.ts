import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { CounterRefund } from '../../ports/run-ledger.ts';
import type { ConsumeResult, UsageCounters } from '../../sandbox/usage-counters.ts';
import { counterBucketKey, tenantPartition } from './plugins-table-usage-keys.ts';

/** Six buckets per window: a window is exact to a sixth of its length (10 s for the per-minute limits). */
const BUCKETS_PER_WINDOW = 6;
/** Buckets outlive their window by this much before DynamoDB's TTL may remove them. */
const TTL_MARGIN_SECONDS = 300;
/** Counter keys whose closed buckets are remembered (one per tenant, plugin and counter). */
const MAX_REMEMBERED_WINDOWS = 1_000;

/**
 * The closed buckets of a window as last read, while the bucket that was current then still is.
 * A closed bucket never grows (every charge goes to the current bucket), it only shrinks by
 * refunds: a remembered total can only over-count, so a consume may be denied a little early,
 * never allowed past the limit.
 */
interface ClosedBuckets {
  readonly currentStart: number;
  readonly amounts: Map<string, number>;
}

/**
 * The sandbox's rolling-window counters, shared by every Lambda instance. Each window is a few
 * bucket items; a consume reads the window (one consistent Query), then adds to the current bucket
 * with a conditional ADD that only succeeds while that bucket stays under what the rest of the
 * window leaves. Older buckets are closed, so concurrent consumers on any number of instances can
 * never take the total over the limit: at worst one is denied that a perfect counter would admit.
 *
 * The closed buckets of a window only shrink (refunds), so each instance remembers their total from
 * its last read while the current bucket stays the same (a sixth of the window): most consumes are
 * then one conditional ADD with no Query before it, and the remembered total can only over-count,
 * so the limit still holds (another instance's refund is seen at the next bucket). Clock skew
 * between instances is as before: a consumer whose clock is behind may add to the bucket another
 * sees as the first closed one, within the skew.
 *
 * Counter keys are `<tenant>/<plugin>/<counter>` (the sandbox's format); the tenant part selects
 * the tenant's partition, so counters live and expire with the tenant's other items. Other keys
 * (the circuit breaker's) get a partition of their own.
 */
export class DynamoDbUsageCounters implements UsageCounters {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly closed = new Map<string, ClosedBuckets>();

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; clock: Clock }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
  }

  async consume(key: string, amount: number, limit: number, windowMs: number): Promise<ConsumeResult> {
    const { partition, counterKey } = splitKey(key);
    const now = this.clock.now().getTime();
    const bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
    const currentStart = Math.floor(now / bucketMs) * bucketMs;
    const oldestStart = Math.floor((now - windowMs) / bucketMs) * bucketMs + bucketMs;
    const window = () => this.readWindow(key, partition, counterKey, oldestStart, currentStart);
    if (amount <= 0) {
      const { total } = await window();
      return { allowed: total <= limit, observed: total };
    }
    const expiresAt = Math.ceil((currentStart + windowMs + bucketMs) / 1000) + TTL_MARGIN_SECONDS;
    const bucketKey = { PK: partition, SK: counterBucketKey(counterKey, currentStart) };
    const charge = (others: number) => this.charge(bucketKey, { amount, limit, others, expiresAt, now });

    // Remembered closed buckets: one conditional ADD. Near the limit (the remembered total may
    // over-count), the window is read again and the charge decided on what it says.
    const remembered = this.closedTotal(key, currentStart);
    if (remembered !== undefined) {
      const fast = await charge(remembered);
      if (fast.allowed) return fast;
    }
    const read = await window();
    const others = read.total - read.current;
    if (Number.isFinite(limit) && limit - others - amount < 0) {
      return { allowed: false, observed: read.total + amount };
    }
    const charged = await charge(others);
    return charged.allowed
      ? charged
      : { allowed: false, observed: others + (charged.current ?? read.current) + amount };
  }

  /** Adds `amount` to the current bucket while the window stays within `limit` given `others`. */
  private async charge(
    bucketKey: { PK: string; SK: string },
    options: { amount: number; limit: number; others: number; expiresAt: number; now: number },
  ): Promise<ConsumeResult & { current?: number }> {
    const { amount, limit, others, expiresAt, now } = options;
    if (!Number.isFinite(limit)) {
      const added = await this.add(bucketKey, amount, expiresAt, undefined);
      return { allowed: true, observed: others + added, at: now };
    }
    const maximumBefore = limit - others - amount;
    if (maximumBefore < 0) return { allowed: false, observed: others + amount };
    try {
      const added = await this.add(bucketKey, amount, expiresAt, maximumBefore);
      return { allowed: true, observed: others + added, at: now };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const before = Number((error.Item as { amount?: { N?: string } } | undefined)?.amount?.N);
      const current = Number.isFinite(before) ? before : undefined;
      return {
        allowed: false,
        observed: others + (current ?? 0) + amount,
        ...(current === undefined ? {} : { current }),
      };
    }
  }

  /**
   * One conditional update of the bucket the charge went to: it never takes a bucket below zero
   * (a refund larger than what is left there is dropped, which can only over-count), and a bucket
   * that has left the window is not touched, since it no longer counts.
   */
  async release(key: string, amount: number, windowMs: number, at: number): Promise<void> {
    const [update] = counterRefundUpdates(this.tableName, [{ key, amount, windowMs, at }], this.clock);
    if (!update) return;
    this.forgetRefund(key, update.Key.SK, amount);
    try {
      await this.client.send(new UpdateCommand(update));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * The bucket items of `key`'s window now, for a caller that reads them with other items in one
   * batch and hands them back to `remember` (the run ledger, before a run).
   */
  windowKeys(key: string, windowMs: number): { keys: { PK: string; SK: string }[]; currentStart: number } {
    const { partition, counterKey } = splitKey(key);
    const now = this.clock.now().getTime();
    const bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
    const currentStart = Math.floor(now / bucketMs) * bucketMs;
    const keys: { PK: string; SK: string }[] = [];
    for (
      let start = Math.floor((now - windowMs) / bucketMs) * bucketMs + bucketMs;
      start <= currentStart;
      start += bucketMs
    ) {
      keys.push({ PK: partition, SK: counterBucketKey(counterKey, start) });
    }
    return { keys, currentStart };
  }

  /** Remembers the closed buckets read for `windowKeys`, unless the current bucket changed since. */
  remember(
    key: string,
    windowMs: number,
    read: { currentStart: number; items: readonly Record<string, unknown>[] },
  ): void {
    const { counterKey } = splitKey(key);
    const bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
    if (Math.floor(this.clock.now().getTime() / bucketMs) * bucketMs !== read.currentStart) return;
    const currentKey = counterBucketKey(counterKey, read.currentStart);
    const amounts = new Map<string, number>();
    for (const item of read.items) {
      if (item.SK !== currentKey)
        amounts.set(String(item.SK), typeof item.amount === 'number' ? item.amount : 0);
    }
    this.rememberClosed(key, { currentStart: read.currentStart, amounts });
  }

  /** The remembered total of the window's closed buckets, while the current bucket is the one read. */
  private closedTotal(key: string, currentStart: number): number | undefined {
    const remembered = this.closed.get(key);
    if (remembered?.currentStart !== currentStart) return undefined;
    let total = 0;
    for (const amount of remembered.amounts.values()) total += amount;
    return total;
  }

  private rememberClosed(key: string, closed: ClosedBuckets): void {
    this.closed.delete(key);
    this.closed.set(key, closed);
    if (this.closed.size > MAX_REMEMBERED_WINDOWS) {
      const oldest = this.closed.keys().next();
      if (!oldest.done) this.closed.delete(oldest.value);
    }
  }

  /** This instance's own refund into a closed bucket lowers what it remembers of it too. */
  private forgetRefund(key: string, bucketKey: string, amount: number): void {
    const amounts = this.closed.get(key)?.amounts;
    const before = amounts?.get(bucketKey);
    if (amounts && before !== undefined) amounts.set(bucketKey, Math.max(0, before - amount));
  }

  private async readWindow(
    key: string,
    partition: string,
    counterKey: string,
    oldestStart: number,
    currentStart: number,
  ): Promise<{ total: number; current: number }> {
    const currentKey = counterBucketKey(counterKey, currentStart);
    const closedAmounts = new Map<string, number>();
    let total = 0;
    let current = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': partition,
            ':from': counterBucketKey(counterKey, oldestStart),
            ':to': currentKey,
          },
          ProjectionExpression: 'SK, amount',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const value = typeof item.amount === 'number' ? item.amount : 0;
        total += value;
        if (item.SK === currentKey) current = value;
        else closedAmounts.set(String(item.SK), value);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    this.rememberClosed(key, { currentStart, amounts: closedAmounts });
    return { total, current };
  }

  /** Adds to the bucket and returns its new amount; with a maximum, only while amount ≤ maximum. */
  private async add(
    key: { PK: string; SK: string },
    amount: number,
    expiresAt: number,
    maximumBefore: number | undefined,
  ): Promise<number> {
    const result = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD amount :amount SET expiresAt = :expiresAt',
        ...(maximumBefore === undefined
          ? {}
          : {
              ConditionExpression: 'attribute_not_exists(amount) OR amount <= :maximum',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
            }),
        ExpressionAttributeValues: {
          ':amount': amount,
          ':expiresAt': expiresAt,
          ...(maximumBefore === undefined ? {} : { ':maximum': maximumBefore }),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const updated = result.Attributes?.amount;
    return typeof updated === 'number' ? updated : amount;
  }
}

/**
 * The conditional refunds of charges into the buckets they went to, one update per bucket (two
 * refunds into one bucket are added up: a transaction may touch an item once). A refund whose
 * bucket has left the window is dropped, since that bucket no longer counts.
 */
export function counterRefundUpdates(tableName: string, refunds: readonly CounterRefund[], clock: Clock) {
  const now = clock.now().getTime();
  const byBucket = new Map<string, { PK: string; SK: string; amount: number }>();
  for (const { key, amount, windowMs, at } of refunds) {
    if (!(amount > 0)) continue;
    const { partition, counterKey } = splitKey(key);
    const bucketMs = Math.max(1, Math.floor(windowMs / BUCKETS_PER_WINDOW));
    const chargedStart = Math.floor(at / bucketMs) * bucketMs;
    const oldestStart = Math.floor((now - windowMs) / bucketMs) * bucketMs + bucketMs;
    if (chargedStart < oldestStart) continue;
    const SK = counterBucketKey(counterKey, chargedStart);
    const bucket = byBucket.get(`${partition}\u0000${SK}`) ?? { PK: partition, SK, amount: 0 };
    byBucket.set(`${partition}\u0000${SK}`, { ...bucket, amount: bucket.amount + amount });
  }
  return [...byBucket.values()].map(({ PK, SK, amount }) => ({
    TableName: tableName,
    Key: { PK, SK },
    UpdateExpression: 'ADD amount :refund',
    // Never below zero: a refund larger than what is left there is dropped (it can only over-count).
    ConditionExpression: 'amount >= :amount',
    ExpressionAttributeValues: { ':refund': -amount, ':amount': amount },
  }));
}

function splitKey(key: string): { partition: string; counterKey: string } {
  const slash = key.indexOf('/');
  // Keys that name no tenant (platform-wide counters) get a partition of their own.
  if (slash <= 0) return { partition: `COUNTER#${key}`, counterKey: key };
  return { partition: tenantPartition(key.slice(0, slash)), counterKey: key.slice(slash + 1) };
}

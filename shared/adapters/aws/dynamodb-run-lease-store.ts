import { randomInt, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type {
  LeaseSlot,
  RunLease,
  RunLeaseClaim,
  RunLeaseRequest,
  RunLeaseStore,
} from '../../ports/run-lease-store.ts';
import { RUN_SLOT_PREFIX, runSlotKey, tenantPartition } from './plugins-table-usage-keys.ts';

/** Expired slot items outlive their lease by this much before DynamoDB's TTL may remove them. */
const TTL_MARGIN_SECONDS = 300;
/** Rounds of read-then-claim when every free slot seen was taken by a concurrent acquirer. */
const MAX_ROUNDS = 3;

/**
 * Run leases in the plugins table, one item per slot: SK RUNSLOT#000 … RUNSLOT#<capacity − 1> in
 * the tenant's partition. A slot is free when its item is absent or its `leaseUntil` has passed,
 * and it is claimed with a conditional put (`attribute_not_exists(SK) OR leaseUntil < now`), so
 * each slot key has at most one live holder and a tenant at most `capacity` live leases, across any
 * number of Lambda instances, with no counter that a crash could leave too high: a crashed holder's
 * slot simply becomes claimable when its lease runs out. A release is a delete conditioned on the
 * holder's token, so a late release never frees a slot someone else took over.
 *
 * Acquiring reads the tenant's slots first (one consistent Query, or the items the run ledger
 * just read with the run's context) and counts every live lease,
 * slots above a lowered capacity included, so lowering the cap takes effect as those runs end;
 * then it tries the free slots from a random start, so concurrent acquirers rarely collide.
 * `expiresAt` is the table's TTL attribute, for clean-up only: readers compare `leaseUntil`.
 */
export class DynamoDbRunLeaseStore implements RunLeaseStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; clock: Clock }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
  }

  async acquire(request: RunLeaseRequest, seen?: readonly LeaseSlot[]): Promise<RunLeaseClaim> {
    const token = randomUUID();
    let held = request.capacity;
    let retryAfterMs = 0;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock.now().getTime();
      // A collision sends later rounds back to the store: the items seen are stale by then.
      const slots = round === 0 && seen ? seen : await this.readSlots(request.tenantId);
      const live = slots.filter((item) => item.leaseUntil > now);
      held = live.length;
      retryAfterMs = Math.max(0, Math.min(...live.map((item) => item.expectedEndAt)) - now);
      if (live.length >= request.capacity) break;
      const taken = new Set(live.map((item) => item.slot));
      const free = [...Array(request.capacity).keys()].filter((slot) => !taken.has(slot));
      const start = randomInt(free.length);
      for (let index = 0; index < free.length; index++) {
        const slot = free[(start + index) % free.length] as number;
        if (await this.claim(request, slot, token, now)) {
          return { status: 'acquired', lease: { tenantId: request.tenantId, slot, token } };
        }
      }
    }
    return { status: 'full', held, retryAfterMs: Number.isFinite(retryAfterMs) ? retryAfterMs : 0 };
  }

  async release(lease: RunLease): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { PK: tenantPartition(lease.tenantId), SK: runSlotKey(lease.slot) },
          ConditionExpression: 'leaseToken = :token',
          ExpressionAttributeValues: { ':token': lease.token },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async claim(request: RunLeaseRequest, slot: number, token: string, now: number): Promise<boolean> {
    const leaseUntil = now + request.leaseMs;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            PK: tenantPartition(request.tenantId),
            SK: runSlotKey(slot),
            leaseToken: token,
            holder: request.holder,
            leaseUntil,
            expectedEndAt: now + request.expectedRunMs,
            expiresAt: Math.ceil(leaseUntil / 1000) + TTL_MARGIN_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(SK) OR leaseUntil < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async readSlots(tenantId: string): Promise<LeaseSlot[]> {
    const items: LeaseSlot[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': RUN_SLOT_PREFIX },
          ProjectionExpression: 'SK, leaseUntil, expectedEndAt',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const slot = leaseSlotOf(item);
        if (slot) items.push(slot);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

/** A slot item as stored, or undefined for an item that is not one. */
export function leaseSlotOf(item: Record<string, unknown>): LeaseSlot | undefined {
  const slot = Number(String(item.SK).slice(RUN_SLOT_PREFIX.length));
  const leaseUntil = typeof item.leaseUntil === 'number' ? item.leaseUntil : 0;
  const expectedEndAt = typeof item.expectedEndAt === 'number' ? item.expectedEndAt : leaseUntil;
  return Number.isInteger(slot) ? { slot, leaseUntil, expectedEndAt } : undefined;
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateQuery, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { InvocationResult } from '../../domain/invocation.ts';
import { INTERVAL_MS, type UsageBucket, type UsageWindow } from '../../domain/usage-series.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type {
  BlastRadiusEntry,
  InvocationRecord,
  UsageRepository,
  UsageSummary,
} from '../../ports/usage-repository.ts';
import { usageBucketOfItem, usageBucketUpdates } from './dynamodb-usage-buckets.ts';
import {
  releaseIndexKey,
  tenantPartition,
  usageBucketKey,
  usageKey,
  usagePrefix,
} from './plugins-table-usage-keys.ts';
import { GSI1 } from './table-definitions.ts';

/** Patient ids kept per tenant and version: enough for a blast radius, bounded under the 400 KB item limit. */
export const MAX_TOUCHED_PATIENT_IDS = 1_000;
/** Ids taken from one invocation; the cap above can be passed by at most this many. */
const MAX_IDS_PER_INVOCATION = 100;

const USAGE_FIELDS = [
  'wallMs',
  'cpuMs',
  'peakHeapBytes',
  'dataCalls',
  'networkCalls',
  'storageBytes',
] as const;
type Usage = InvocationResult['usage'];

const usageItemKey = (record: InvocationRecord) => ({
  PK: tenantPartition(record.tenantId),
  SK: usageKey(record.pluginId, record.version),
});

/**
 * The atomic ADD of one invocation to its aggregate, with its touched patient ids when they still
 * fit under the cap (`withPatientIds`: then the update is conditioned on that, and a caller whose
 * condition fails records the invocation through `record`, which truncates instead).
 */
export function usageAggregateUpdate(
  tableName: string,
  record: InvocationRecord,
  options: { withPatientIds?: boolean } = {},
) {
  const ids = [...new Set(record.touchedPatientIds)].slice(0, MAX_IDS_PER_INVOCATION);
  const withIds = options.withPatientIds === true && ids.length > 0;
  return {
    TableName: tableName,
    Key: usageItemKey(record),
    UpdateExpression: [
      `ADD invocations :one, failures :failed, ${USAGE_FIELDS.map((field) => `${field} :${field}`).join(', ')}${withIds ? ', patientIds :ids' : ''}`,
      'SET tenantId = :tenantId, pluginId = :pluginId, version = :version, GSI1PK = :gsi1pk, GSI1SK = :gsi1sk,',
      'lastInvokedAt = :at, firstInvokedAt = if_not_exists(firstInvokedAt, :at)',
    ].join(' '),
    ...(withIds
      ? { ConditionExpression: 'attribute_not_exists(patientIds) OR size(patientIds) < :cap' }
      : {}),
    ExpressionAttributeValues: {
      ':one': 1,
      ':failed': record.ok ? 0 : 1,
      ...Object.fromEntries(USAGE_FIELDS.map((field) => [`:${field}`, record.usage[field]])),
      ':tenantId': record.tenantId,
      ':pluginId': record.pluginId,
      ':version': record.version,
      ':gsi1pk': releaseIndexKey(record.pluginId, record.version),
      ':gsi1sk': tenantPartition(record.tenantId),
      ':at': record.at,
      ...(withIds ? { ':ids': new Set(ids), ':cap': MAX_TOUCHED_PATIENT_IDS } : {}),
    },
  };
}

/**
 * Usage aggregated per tenant, plugin and version with atomic ADDs, so concurrent invocations on
 * any number of instances are all counted. GSI1 (RELEASE#<plugin>#<version>) finds every tenant
 * that ran a version, for a revocation's blast radius. Totals are sums, `peakHeapBytes` included
 * (divide by invocations for a mean). Each run is also added to its minute, hour and day buckets
 * (dynamodb-usage-buckets.ts), whose heap figure is a maximum.
 */
export class DynamoDbUsageRepository implements UsageRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly clock: Clock;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string; clock?: Clock | undefined }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock ?? systemClock;
  }

  /** The run ledger's fallback when its transaction is cancelled: each write on its own. */
  async record(record: InvocationRecord): Promise<void> {
    const key = usageItemKey(record);
    await Promise.all(
      [usageAggregateUpdate(this.tableName, record), ...usageBucketUpdates(this.tableName, record)].map(
        (update) => this.client.send(new UpdateCommand(update)),
      ),
    );
    const ids = [...new Set(record.touchedPatientIds)].slice(0, MAX_IDS_PER_INVOCATION);
    if (ids.length > 0) await this.addPatientIds(key, ids);
  }

  async summarize(tenantId: string, pluginId: string): Promise<UsageSummary> {
    const totals: Usage = {
      wallMs: 0,
      cpuMs: 0,
      peakHeapBytes: 0,
      dataCalls: 0,
      networkCalls: 0,
      storageBytes: 0,
    };
    const byVersion: Record<string, { invocations: number; failures: number }> = {};
    let invocations = 0;
    let failures = 0;
    let lastInvokedAt: string | undefined;
    for await (const item of this.query({
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': usagePrefix(pluginId) },
      ConsistentRead: true,
    })) {
      const versionInvocations = numberOf(item.invocations);
      const versionFailures = numberOf(item.failures);
      invocations += versionInvocations;
      failures += versionFailures;
      for (const field of USAGE_FIELDS) totals[field] += numberOf(item[field]);
      byVersion[String(item.version)] = { invocations: versionInvocations, failures: versionFailures };
      const at = typeof item.lastInvokedAt === 'string' ? item.lastInvokedAt : undefined;
      if (at && (!lastInvokedAt || at > lastInvokedAt)) lastInvokedAt = at;
    }
    return { pluginId, invocations, failures, totals, lastInvokedAt, byVersion };
  }

  async series(tenantId: string, pluginId: string, window: UsageWindow): Promise<UsageBucket[]> {
    const nowMs = this.clock.now().getTime();
    const lastStartMs = window.toMs - INTERVAL_MS[window.interval];
    const buckets: UsageBucket[] = [];
    for await (const item of this.query({
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': tenantPartition(tenantId),
        ':first': usageBucketKey(pluginId, window.interval, window.fromMs),
        ':last': usageBucketKey(pluginId, window.interval, lastStartMs),
      },
    })) {
      const bucket = usageBucketOfItem(item, nowMs);
      if (bucket) buckets.push(bucket);
    }
    return buckets;
  }

  async blastRadius(pluginId: string, version: string): Promise<BlastRadiusEntry[]> {
    const entries: BlastRadiusEntry[] = [];
    for await (const item of this.query({
      IndexName: GSI1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': releaseIndexKey(pluginId, version) },
    })) {
      const ids = item.patientIds instanceof Set ? [...(item.patientIds as Set<string>)] : [];
      entries.push({
        tenantId: String(item.tenantId),
        invocations: numberOf(item.invocations),
        patientIds: ids.sort(),
      });
    }
    return entries;
  }

  /** A separate update: when the set is full only the ids are dropped, never the counts. */
  private async addPatientIds(key: { PK: string; SK: string }, ids: string[]): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'ADD patientIds :ids',
          ConditionExpression: 'attribute_not_exists(patientIds) OR size(patientIds) < :cap',
          ExpressionAttributeValues: { ':ids': new Set(ids), ':cap': MAX_TOUCHED_PATIENT_IDS },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET patientIdsTruncated = :true',
          ExpressionAttributeValues: { ':true': true },
        }),
      );
    }
  }

  private async *query(input: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
    ConsistentRead?: boolean;
  }): AsyncGenerator<Record<string, unknown>> {
    const pages = paginateQuery({ client: this.client }, { TableName: this.tableName, ...input });
    for await (const page of pages) yield* page.Items ?? [];
  }
}

const numberOf = (value: unknown): number => (typeof value === 'number' ? value : 0);

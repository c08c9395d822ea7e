import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  type AuditRecordView,
  type AuditTimeRange,
  type Disclosure,
  DisclosureSchema,
} from '../../domain/audit-query.ts';
import { invalidCursor } from '../../domain/errors/request-errors.ts';
import { AUDIT_OUTCOMES } from '../../domain/platform-events.ts';
import type {
  AuditQueryStore,
  AuditRecordFilter,
  AuditRecordQuery,
  DisclosureQuery,
} from '../../ports/audit-query-store.ts';
import type { Page } from '../../ports/page.ts';
import {
  auditPartition,
  OUTBOX_SORT_PREFIX,
  outboxEntryOfBody,
  patientAuditPartition,
  pluginAuditIndexKey,
} from './audit-table-items.ts';
import { type DynamoKey, decodeStartKey, encodeStartKey } from './dynamodb-start-key.ts';
import { GSI1 } from './table-definitions.ts';

/**
 * Items one request may read before it answers with what it found and a cursor: a filter that
 * matches little must not turn one request into a scan of a year of records.
 */
export const AUDIT_SCANNED_ITEMS_BUDGET = 1_000;
/** Each Query reads at least this many items, so a selective filter does not cost a round trip per match. */
const MIN_QUERY_ITEMS = 100;
const MAX_BATCH_GET_KEYS = 100;
const MAX_BATCH_GET_ATTEMPTS = 5;
/** Sorts after every `#<id>` suffix, so `to` includes records at exactly that instant. */
const AFTER_ANY_ID = '#\uffff';

type RawItem = Record<string, unknown>;

/** Where one query reads: a partition (of the table or GSI1), its sort-key range and the key attributes. */
interface QueryPlan {
  readonly indexName?: string | undefined;
  readonly partition: { readonly name: string; readonly value: string };
  readonly sort: { readonly name: string; readonly from: string; readonly to: string };
  readonly keyAttributes: readonly string[];
  readonly filter: Filter;
}

interface Filter {
  readonly expressions: readonly string[];
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
}

/** What every stored audit record has; the rest is as AuditRecordSchema wrote it. */
const StoredAuditRecordSchema = z.looseObject({
  action: z.string(),
  outcome: z.enum(AUDIT_OUTCOMES),
  actor: z.string(),
});
const OutboxItemSchema = z.object({ PK: z.string(), SK: z.string(), body: z.string() });
const PatientIndexItemSchema = z.object({
  recordId: z.string(),
  recordPK: z.string(),
  recordSK: z.string(),
  recordedAt: z.string(),
  outcome: z.string(),
  pluginId: z.string().optional(),
  version: z.string().optional(),
  publisherId: z.string().optional(),
  operations: z.array(z.string()).default([]),
});

/** `attribute = :value` for each filter given (top-level attributes of outbox and index items). */
function equalityFilter(
  fields: Readonly<Record<string, string | undefined>>,
  extra: readonly string[] = [],
): Filter {
  const given = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return {
    expressions: [...extra, ...given.map(([name]) => `#${name} = :${name}`)],
    names: Object.fromEntries(given.map(([name]) => [`#${name}`, name])),
    values: Object.fromEntries(given.map(([name, value]) => [`:${name}`, value])),
  };
}

const recordFilterFields = (filter: AuditRecordFilter) => ({
  actor: filter.actor,
  action: filter.action,
  outcome: filter.outcome,
});

/**
 * The audit table's read side. A time range reads the tenant's partition (outbox items, audit
 * records only), a plugin reads GSI1, a patient reads their index partition and then the records it
 * points at; actor, action and outcome are filter expressions. Newest first. Every query is pinned
 * to the caller's tenant: a cursor must name that partition and lie inside the range asked for.
 */
export class DynamoDbAuditQuery implements AuditQueryStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly scanBudget: number;

  constructor(client: DynamoDBDocumentClient, tableName: string, options: { scanBudget?: number } = {}) {
    this.client = client;
    this.tableName = tableName;
    this.scanBudget = options.scanBudget ?? AUDIT_SCANNED_ITEMS_BUDGET;
  }

  async listRecords(query: AuditRecordQuery): Promise<Page<AuditRecordView>> {
    const { tenantId, range } = query;
    if (query.patientId !== undefined) return this.recordsOfPatient(query, query.patientId);
    const filter = equalityFilter(recordFilterFields(query.filter), ['#kind = :audit']);
    const withKind: Filter = {
      ...filter,
      names: { ...filter.names, '#kind': 'kind' },
      values: { ...filter.values, ':audit': 'audit' },
    };
    const plan: QueryPlan =
      query.pluginId === undefined
        ? {
            partition: { name: 'PK', value: auditPartition(tenantId) },
            sort: sortRange('SK', range, OUTBOX_SORT_PREFIX),
            keyAttributes: ['PK', 'SK'],
            filter: withKind,
          }
        : {
            indexName: GSI1.name,
            partition: { name: GSI1.partitionKey, value: pluginAuditIndexKey(tenantId, query.pluginId) },
            sort: sortRange(GSI1.sortKey, range, ''),
            keyAttributes: ['PK', 'SK', GSI1.partitionKey, GSI1.sortKey],
            filter: withKind,
          };
    return this.filteredPage(plan, query, async (items) =>
      items.map((item) => ({ item, value: viewOfOutboxItem(item, tenantId) })),
    );
  }

  async listDisclosures(query: DisclosureQuery): Promise<Page<Disclosure>> {
    const plan: QueryPlan = {
      partition: { name: 'PK', value: patientAuditPartition(query.tenantId, query.patientId) },
      sort: sortRange('SK', query.range, ''),
      keyAttributes: ['PK', 'SK'],
      // Only plugin runs are disclosures; the index may also hold other records about the patient.
      filter: { expressions: ['attribute_exists(pluginId)'], names: {}, values: {} },
    };
    return this.filteredPage(plan, query, async (items) =>
      items.map((item) => ({ item, value: disclosureOf(item) })),
    );
  }

  /**
   * The patient's index items (action, outcome and plugin filtered there), then the records they
   * point at in one BatchGet per page; actor is on the record only, so it is matched after that.
   */
  private recordsOfPatient(query: AuditRecordQuery, patientId: string): Promise<Page<AuditRecordView>> {
    const { tenantId } = query;
    const plan: QueryPlan = {
      partition: { name: 'PK', value: patientAuditPartition(tenantId, patientId) },
      sort: sortRange('SK', query.range, ''),
      keyAttributes: ['PK', 'SK'],
      filter: equalityFilter({
        action: query.filter.action,
        outcome: query.filter.outcome,
        pluginId: query.pluginId,
      }),
    };
    return this.filteredPage(plan, query, async (items) => {
      const pointers = items.map((item) => ({ item, pointer: PatientIndexItemSchema.parse(item) }));
      // The index lives in the tenant's own key space; a pointer elsewhere is never followed.
      const own = pointers.filter(({ pointer }) => pointer.recordPK === auditPartition(tenantId));
      const records = await this.recordsAt(
        own.map(({ pointer }) => ({ PK: pointer.recordPK, SK: pointer.recordSK })),
      );
      return own.flatMap(({ item, pointer }) => {
        const record = records.get(pointer.recordSK);
        if (record === undefined) return [];
        const value = viewOfOutboxItem(record, tenantId);
        return query.filter.actor === undefined || value.actor === query.filter.actor
          ? [{ item, value }]
          : [];
      });
    });
  }

  /** The outbox items at these keys, by sort key; unprocessed keys are asked for again. */
  private async recordsAt(keys: readonly DynamoKey[]): Promise<Map<string, RawItem>> {
    const found = new Map<string, RawItem>();
    for (let start = 0; start < keys.length; start += MAX_BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + MAX_BATCH_GET_KEYS);
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt === MAX_BATCH_GET_ATTEMPTS) throw new Error('The audit table left keys unprocessed');
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(String(item.SK), item);
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }

  /**
   * Queries newest first until `limit` items pass the filter (and `resolve`) or the scanned-items
   * budget is spent. The cursor is the key of the last item answered, or where the budget ran out,
   * so a page whose budget ran out may hold fewer than `limit` items and still have a next one.
   */
  private async filteredPage<T>(
    plan: QueryPlan,
    page: { readonly limit: number; readonly cursor?: string | undefined },
    resolve: (items: RawItem[]) => Promise<{ item: RawItem; value: T }[]>,
  ): Promise<Page<T>> {
    let startKey = startKeyWithin(page.cursor, plan);
    const taken: T[] = [];
    let scanned = 0;
    for (;;) {
      const result = await this.client.send(
        new QueryCommand({
          ...queryInputOf(plan, this.tableName),
          Limit: Math.min(
            this.scanBudget - scanned,
            Math.max(page.limit - taken.length + 1, MIN_QUERY_ITEMS),
          ),
          ExclusiveStartKey: startKey,
        }),
      );
      scanned += result.ScannedCount ?? result.Items?.length ?? 0;
      const items = result.Items ?? [];
      const resolved = await resolve(items);
      for (const [index, { item, value }] of resolved.entries()) {
        taken.push(value);
        if (taken.length < page.limit) continue;
        const isLastOfAll =
          index === resolved.length - 1 && item === items.at(-1) && !result.LastEvaluatedKey;
        return { items: taken, nextCursor: isLastOfAll ? undefined : keyOf(item, plan) };
      }
      if (!result.LastEvaluatedKey) return { items: taken };
      startKey = result.LastEvaluatedKey;
      if (scanned >= this.scanBudget) return { items: taken, nextCursor: encodeStartKey(startKey) };
    }
  }
}

function sortRange(name: string, range: AuditTimeRange, prefix: string): QueryPlan['sort'] {
  return { name, from: `${prefix}${range.from}`, to: `${prefix}${range.to}${AFTER_ANY_ID}` };
}

function queryInputOf(plan: QueryPlan, tableName: string): QueryCommandInput {
  const { filter } = plan;
  return {
    TableName: tableName,
    ...(plan.indexName === undefined ? {} : { IndexName: plan.indexName }),
    KeyConditionExpression: '#partition = :partition AND #sort BETWEEN :from AND :to',
    ...(filter.expressions.length > 0 ? { FilterExpression: filter.expressions.join(' AND ') } : {}),
    ExpressionAttributeNames: { '#partition': plan.partition.name, '#sort': plan.sort.name, ...filter.names },
    ExpressionAttributeValues: {
      ':partition': plan.partition.value,
      ':from': plan.sort.from,
      ':to': plan.sort.to,
      ...filter.values,
    },
    ScanIndexForward: false,
  };
}

const keyOf = (item: RawItem, plan: QueryPlan): string | undefined =>
  encodeStartKey(Object.fromEntries(plan.keyAttributes.map((name) => [name, item[name]])));

/**
 * A cursor's key must name this partition (decodeStartKey) and lie inside the sort range asked
 * for: DynamoDB answers a start key outside the key condition with a ValidationException, which
 * would otherwise be a 500 for a cursor reused with another range.
 */
function startKeyWithin(cursor: string | undefined, plan: QueryPlan): DynamoKey | undefined {
  const key = decodeStartKey(cursor, plan.partition);
  if (key === undefined) return undefined;
  const sort = key[plan.sort.name];
  const names = Object.keys(key).sort();
  if (
    typeof sort !== 'string' ||
    sort < plan.sort.from ||
    sort > plan.sort.to ||
    names.join() !== [...plan.keyAttributes].sort().join()
  )
    throw invalidCursor();
  return key;
}

/** An outbox item as the query's view; it must be an audit record of this tenant. */
function viewOfOutboxItem(item: RawItem, tenantId: string): AuditRecordView {
  const stored = OutboxItemSchema.parse(item);
  const event = outboxEntryOfBody(stored.body);
  if (event.tenantId !== tenantId)
    throw new Error('An audit item of another tenant was in this tenant’s partition');
  // Not AuditRecordSchema again: its transforms already ran when the record was written, and
  // running them twice would turn a kept `invalid:length=N` into `invalid:length=16`.
  const record = StoredAuditRecordSchema.parse(event.detail) as unknown as Omit<
    AuditRecordView,
    'id' | 'recordedAt'
  >;
  return { ...record, id: event.id, recordedAt: event.time };
}

function disclosureOf(item: RawItem): Disclosure {
  const entry = PatientIndexItemSchema.parse(item);
  return DisclosureSchema.parse({
    at: entry.recordedAt,
    pluginId: entry.pluginId,
    version: entry.version,
    publisherId: entry.publisherId,
    operations: entry.operations,
    outcome: entry.outcome,
    recordId: entry.recordId,
  });
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AUDIT_QUERY_RETENTION_DAYS } from '../../domain/audit-query.ts';
import { isAuditRecordEvent, type PlatformEvent, PlatformEventSchema } from '../../domain/platform-events.ts';
import type { Outbox, OutboxEntries } from '../../ports/outbox.ts';
import type { PatientIndexEntry } from '../../ports/patient-audit-index.ts';
import { GSI1 } from './table-definitions.ts';

export type { PatientIndexEntry } from '../../ports/patient-audit-index.ts';

/**
 * Key layout of the audit table (one partition per tenant; `PLATFORM` for what belongs to no tenant,
 * such as a publisher's marketplace actions):
 *   PK TENANT#<t>                 SK EVT#<time>#<id>    an outbox entry: an audit record or an event
 *                                                       (GSI1 TENANT#<t>#PLUGIN#<p> / <time>#<id> for records about a plugin)
 *   PK TENANT#<t>#PATIENT#<p>     SK <time>#<id>        a patient's index entry, written by the stream consumer
 *   PK TENANT#<t>                 SK CHAIN#…            the tenant's audit chain head and per-record markers
 * Only items whose SK starts with `EVT#` feed the stream consumer (OUTBOX_STREAM_FILTER).
 */
export const PLATFORM_AUDIT_PARTITION = 'PLATFORM';
export const OUTBOX_SORT_PREFIX = 'EVT#';

/** How long the table answers audit queries (a rule of the query, so it lives in the domain). */
export { AUDIT_QUERY_RETENTION_DAYS };
/** Events that are not audit records only wait in the outbox for delivery. */
export const EVENT_OUTBOX_RETENTION_DAYS = 7;
const DAY_SECONDS = 86_400;

export const auditPartition = (tenantId: string | undefined): string =>
  tenantId === undefined ? PLATFORM_AUDIT_PARTITION : `TENANT#${tenantId}`;
export const outboxSortKey = (event: Pick<PlatformEvent, 'time' | 'id'>): string =>
  `${OUTBOX_SORT_PREFIX}${event.time}#${event.id}`;
export const pluginAuditIndexKey = (tenantId: string | undefined, pluginId: string): string =>
  `${auditPartition(tenantId)}#PLUGIN#${pluginId}`;
export const patientAuditPartition = (tenantId: string, patientId: string): string =>
  `${auditPartition(tenantId)}#PATIENT#${patientId}`;
export const auditTimeKey = (event: Pick<PlatformEvent, 'time' | 'id'>): string =>
  `${event.time}#${event.id}`;

/** The item one outbox entry is stored as. The envelope is kept whole as JSON, so it reads back exactly. */
export function outboxItem(event: PlatformEvent): Record<string, unknown> {
  const isAudit = isAuditRecordEvent(event);
  const detail = event.detail as { action?: unknown; outcome?: unknown; actor?: unknown; pluginId?: unknown };
  const retentionDays = isAudit ? AUDIT_QUERY_RETENTION_DAYS : EVENT_OUTBOX_RETENTION_DAYS;
  const pluginId = typeof detail.pluginId === 'string' ? detail.pluginId : undefined;
  return {
    PK: auditPartition(event.tenantId),
    SK: outboxSortKey(event),
    kind: isAudit ? 'audit' : 'event',
    name: event.name,
    body: JSON.stringify(event),
    ...(isAudit
      ? {
          action: typeof detail.action === 'string' ? detail.action : undefined,
          outcome: typeof detail.outcome === 'string' ? detail.outcome : undefined,
          actor: typeof detail.actor === 'string' ? detail.actor : undefined,
          ...(pluginId === undefined
            ? {}
            : {
                [GSI1.partitionKey]: pluginAuditIndexKey(event.tenantId, pluginId),
                [GSI1.sortKey]: auditTimeKey(event),
              }),
        }
      : {}),
    expiresAt: Math.floor(Date.parse(event.time) / 1000) + retentionDays * DAY_SECONDS,
  };
}

/**
 * A patient's index item (written by the stream consumer, idempotently: same key for the same
 * record). It points at the record's outbox item (`recordPK`/`recordSK`) instead of copying it.
 */
export function patientIndexItem(entry: PatientIndexEntry): Record<string, unknown> {
  return {
    PK: patientAuditPartition(entry.tenantId, entry.patientId),
    SK: auditTimeKey(entry.event),
    recordId: entry.event.id,
    recordPK: auditPartition(entry.event.tenantId),
    recordSK: outboxSortKey(entry.event),
    recordedAt: entry.event.time,
    action: entry.action,
    outcome: entry.outcome,
    ...(entry.pluginId === undefined ? {} : { pluginId: entry.pluginId }),
    ...(entry.version === undefined ? {} : { version: entry.version }),
    ...(entry.publisherId === undefined ? {} : { publisherId: entry.publisherId }),
    operations: [...entry.operations],
    expiresAt: Math.floor(Date.parse(entry.event.time) / 1000) + AUDIT_QUERY_RETENTION_DAYS * DAY_SECONDS,
  };
}

/**
 * The TransactWriteItems entries that put a change's outbox entries beside it. Each is conditional
 * on its key being new: an entry written twice (a retried request) cancels the transaction instead
 * of being delivered twice.
 */
export function outboxPuts(tableName: string, entries: OutboxEntries) {
  return entries.map((event) => ({
    Put: {
      TableName: tableName,
      Item: outboxItem(event),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  }));
}

/** The body of an outbox item as the table (or its stream's new image) holds it. */
export function outboxEntryOfBody(body: string): PlatformEvent {
  return PlatformEventSchema.parse(JSON.parse(body));
}

/** An outbox entry from a stream record's new image (DynamoDB JSON); undefined for any other item. */
export function outboxEntryOfImage(
  image: Record<string, AttributeValue> | undefined,
): PlatformEvent | undefined {
  const sortKey = image?.SK?.S;
  const body = image?.body?.S;
  if (sortKey === undefined || !sortKey.startsWith(OUTBOX_SORT_PREFIX) || body === undefined)
    return undefined;
  return outboxEntryOfBody(body);
}

/**
 * The event-source filter of the stream consumer (Lambda filter criteria, and the local poller):
 * new outbox entries only, so the consumer's own writes (index entries, chain heads) never feed it.
 */
export const OUTBOX_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { Keys: { SK: { S: [{ prefix: OUTBOX_SORT_PREFIX }] } } },
} as const;

/** TransactWriteItems holds at most 100 items; a change and its entries must fit in one. */
export const MAX_TRANSACT_ITEMS = 100;

/** The outbox on its own, in the audit table: all entries in one transaction, or none. */
export class DynamoDbOutbox implements Outbox {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async append(entries: OutboxEntries): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length > MAX_TRANSACT_ITEMS)
      throw new RangeError(`an outbox append holds at most ${MAX_TRANSACT_ITEMS} entries`);
    const puts = outboxPuts(this.tableName, entries);
    const [only] = puts;
    // One entry needs no transaction (half the write cost); several are all or nothing.
    if (puts.length === 1 && only) await this.client.send(new PutCommand(only.Put));
    else await this.client.send(new TransactWriteCommand({ TransactItems: puts }));
  }
}

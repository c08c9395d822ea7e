import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { TenantEventSchema } from '../../domain/tenant-events.ts';
import type { FeedItem, TenantEventFeed } from '../../ports/tenant-event-feed.ts';
import { auditPartition } from './audit-table-items.ts';
import { advanceSequenceHead } from './dynamodb-sequence-head.ts';

/**
 * Key layout of the events feed in the audit table, in the tenant's partition (sort keys `FEED#…`,
 * which the stream filter keeps away from the outbox consumer):
 *   SK FEED#HEAD           the newest seq
 *   SK FEED#ID#<eventId>   an event's marker: its seq (so a redelivery appends nothing)
 *   SK FEED#SEQ#<seq 12>   the event itself, at its seq (zero-padded: the sort order is the seq order)
 * Marker and item carry `expiresAt` (TTL), so the feed keeps TENANT_EVENT_RETENTION_DAYS.
 */
export const FEED_HEAD_SORT_KEY = 'FEED#HEAD';
export const feedMarkerSortKey = (eventId: string) => `FEED#ID#${eventId}`;
const SEQ_PREFIX = 'FEED#SEQ#';
const SEQ_DIGITS = 12;
export const feedItemSortKey = (seq: number) => `${SEQ_PREFIX}${String(seq).padStart(SEQ_DIGITS, '0')}`;
const LAST_SEQ_KEY = `${SEQ_PREFIX}${'9'.repeat(SEQ_DIGITS)}`;

const HeadItemSchema = z.object({ seq: z.number().int().nonnegative() });
const StoredItemSchema = z.object({
  seq: z.number().int().positive(),
  body: z.string(),
  expiresAt: z.number().int(),
});

export class DynamoDbTenantEventFeed implements TenantEventFeed {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async head(tenantId: string): Promise<number> {
    const item = await this.get(tenantId, FEED_HEAD_SORT_KEY);
    return item === undefined ? 0 : HeadItemSchema.parse(item).seq;
  }

  async positionOf(tenantId: string, eventId: string): Promise<number | undefined> {
    const item = await this.get(tenantId, feedMarkerSortKey(eventId));
    return item === undefined ? undefined : HeadItemSchema.parse(item).seq;
  }

  append(tenantId: string, expectedHead: number, item: FeedItem): Promise<boolean> {
    const PK = auditPartition(tenantId);
    return advanceSequenceHead(this.client, {
      tableName: this.tableName,
      head: { PK, SK: FEED_HEAD_SORT_KEY, seq: item.seq },
      expected: expectedHead === 0 ? undefined : { seq: expectedHead },
      entries: [
        { PK, SK: feedMarkerSortKey(item.event.id), seq: item.seq, expiresAt: item.expiresAt },
        {
          PK,
          SK: feedItemSortKey(item.seq),
          seq: item.seq,
          eventId: item.event.id,
          name: item.event.name,
          body: JSON.stringify(item.event),
          expiresAt: item.expiresAt,
        },
      ],
    });
  }

  async readAfter(tenantId: string, afterSeq: number, limit: number): Promise<FeedItem[]> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': auditPartition(tenantId),
          ':from': feedItemSortKey(afterSeq + 1),
          ':to': LAST_SEQ_KEY,
        },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? []).map((raw) => {
      const stored = StoredItemSchema.parse(raw);
      return {
        seq: stored.seq,
        event: TenantEventSchema.parse(JSON.parse(stored.body)),
        expiresAt: stored.expiresAt,
      };
    });
  }

  private async get(tenantId: string, sortKey: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: auditPartition(tenantId), SK: sortKey },
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }
}

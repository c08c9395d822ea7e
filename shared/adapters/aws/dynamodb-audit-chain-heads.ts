import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { PLATFORM_CHAIN_TENANT } from '../../domain/audit-chain/chain-format.ts';
import type { AuditChainHeads, ChainHead, ChainLink, DigestState } from '../../ports/audit-chain-heads.ts';
import { auditPartition } from './audit-table-items.ts';
import { advanceSequenceHead, isConditionFailure } from './dynamodb-sequence-head.ts';
import { GSI1 } from './table-definitions.ts';

export const CHAIN_HEAD_SORT_KEY = 'CHAIN#HEAD';
export const CHAIN_DIGEST_SORT_KEY = 'CHAIN#DIGEST';
export const CHAIN_HEADS_INDEX_KEY = 'CHAIN#HEADS';
export const chainRecordSortKey = (recordId: string) => `CHAIN#REC#${recordId}`;

const chainPartition = (chainTenantId: string) =>
  auditPartition(chainTenantId === PLATFORM_CHAIN_TENANT ? undefined : chainTenantId);

const HeadItemSchema = z.object({
  seq: z.number().int().positive(),
  hash: z.string(),
  recordedAt: z.string(),
});
const LinkItemSchema = HeadItemSchema.extend({ recordId: z.string(), previousHash: z.string() });
const DigestItemSchema = z.object({
  lastSeq: z.number().int().positive(),
  periodStart: z.string(),
  digest: z.string(),
});

/**
 * Chain heads, record markers and digest state in the audit table, in the tenant's partition (sort
 * keys `CHAIN#…`, which the stream filter keeps away from the consumer). Heads are on GSI1 under
 * one key, so the digest run lists every chain with one query.
 */
export class DynamoDbAuditChainHeads implements AuditChainHeads {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async head(chainTenantId: string): Promise<ChainHead | undefined> {
    const item = await this.get(chainTenantId, CHAIN_HEAD_SORT_KEY);
    return item === undefined ? undefined : HeadItemSchema.parse(item);
  }

  async linkOf(chainTenantId: string, recordId: string): Promise<ChainLink | undefined> {
    const item = await this.get(chainTenantId, chainRecordSortKey(recordId));
    return item === undefined ? undefined : LinkItemSchema.parse(item);
  }

  async advance(chainTenantId: string, expected: ChainHead | undefined, link: ChainLink): Promise<boolean> {
    const PK = chainPartition(chainTenantId);
    return advanceSequenceHead(this.client, {
      tableName: this.tableName,
      head: {
        PK,
        SK: CHAIN_HEAD_SORT_KEY,
        chainTenantId,
        seq: link.seq,
        hash: link.hash,
        recordedAt: link.recordedAt,
        [GSI1.partitionKey]: CHAIN_HEADS_INDEX_KEY,
        [GSI1.sortKey]: chainTenantId,
      },
      expected: expected === undefined ? undefined : { seq: expected.seq, hash: expected.hash },
      entries: [{ PK, SK: chainRecordSortKey(link.recordId), ...link }],
    });
  }

  async listChains(): Promise<string[]> {
    const tenants: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1.name,
          KeyConditionExpression: '#pk = :heads',
          ExpressionAttributeNames: { '#pk': GSI1.partitionKey },
          ExpressionAttributeValues: { ':heads': CHAIN_HEADS_INDEX_KEY },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? [])
        if (typeof item.chainTenantId === 'string') tenants.push(item.chainTenantId);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return tenants;
  }

  async digestState(chainTenantId: string): Promise<DigestState | undefined> {
    const item = await this.get(chainTenantId, CHAIN_DIGEST_SORT_KEY);
    return item === undefined ? undefined : DigestItemSchema.parse(item);
  }

  async recordDigest(chainTenantId: string, expectedLastSeq: number, state: DigestState): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: chainPartition(chainTenantId), SK: CHAIN_DIGEST_SORT_KEY, chainTenantId, ...state },
          ...(expectedLastSeq === 0
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: 'lastSeq = :expected',
                ExpressionAttributeValues: { ':expected': expectedLastSeq },
              }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private async get(chainTenantId: string, sortKey: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: chainPartition(chainTenantId), SK: sortKey },
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }
}

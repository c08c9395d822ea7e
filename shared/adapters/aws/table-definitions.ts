/**
 * The DynamoDB tables, described once: the CDK storage stack and the local platform both create
 * them from this list, so key schemas and indexes cannot differ between AWS and DynamoDB Local.
 * Every table is PK/SK with one generic inverted-style index; `expiresAt` is the TTL attribute
 * (DynamoDB Local accepts TTL but never deletes, so readers also filter expired items).
 */
export interface TableDefinition {
  readonly id: 'plugins' | 'marketplace' | 'audit';
  readonly description: string;
  readonly partitionKey: 'PK';
  readonly sortKey: 'SK';
  readonly globalIndexes: readonly { name: string; partitionKey: string; sortKey: string }[];
  readonly timeToLiveAttribute?: string;
  /** A table whose changes feed a consumer: its stream carries each item's new image. */
  readonly stream?: 'NEW_IMAGE';
}

export const GSI1 = { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' } as const;
/** The marketplace's change feed: catalogue entries by the time they last changed. */
export const GSI2 = { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' } as const;

export const TABLE_DEFINITIONS: readonly TableDefinition[] = [
  {
    id: 'plugins',
    description:
      'Per-tenant installations, grants, policies, plugin storage, usage counters, idempotency records',
    partitionKey: 'PK',
    sortKey: 'SK',
    globalIndexes: [GSI1],
    timeToLiveAttribute: 'expiresAt',
  },
  {
    id: 'marketplace',
    description: 'Catalogue, versions, publishers and their keys, reviews and rating aggregates',
    partitionKey: 'PK',
    sortKey: 'SK',
    globalIndexes: [GSI1, GSI2],
  },
  {
    id: 'audit',
    description:
      'Transactional outbox of audit records and events (written with the change they record), the audit query index, audit chain heads',
    partitionKey: 'PK',
    sortKey: 'SK',
    globalIndexes: [GSI1],
    timeToLiveAttribute: 'expiresAt',
    stream: 'NEW_IMAGE',
  },
];

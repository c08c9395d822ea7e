import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbMarketplaceReviews } from '../../../../../shared/adapters/aws/dynamodb-marketplace-reviews.ts';
import type { Review } from '../../../../../shared/domain/review.ts';
import { auditEvent } from '../../../../../shared/services/audit/audit-trail.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamodb = mockClient(documentClient);
const at = new Date('2030-01-01T00:00:00.000Z');
const reviews = new DynamoDbMarketplaceReviews({
  client: documentClient,
  tableName: 'marketplace-table',
  auditTableName: 'audit-table',
  clock: { now: () => at },
});
const sources = { ids: { next: () => 'audit-1' }, clock: { now: () => at } };
const entries = [
  auditEvent(
    { action: 'marketplace:review-hide', actor: 'platform/ops', outcome: 'success', reviewId: 'r-12345678' },
    sources,
  ),
];

const aReview = (overrides: Partial<Review> = {}): Review => ({
  pluginId: 'lab-viewer' as Review['pluginId'],
  reviewId: 'r-12345678',
  reviewerId: 't-acme#user-1',
  tenantId: 't-acme',
  stars: 4,
  title: 'Good',
  body: '',
  version: '1.0.0',
  verifiedInstaller: true,
  reportCount: 0,
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
  revision: 1,
  ...overrides,
});

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const transactItems = () => dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];

describe('DynamoDbMarketplaceReviews', () => {
  beforeEach(() => {
    dynamodb.reset();
    dynamodb.on(TransactWriteCommand).resolves({});
  });

  it('writes a first review with its id pointer, its aggregates, the change stamp and its record in one transaction', async () => {
    await reviews.put(aReview(), undefined, entries);

    const [review, entry, pointer, record] = transactItems();
    expect(review?.Put).toMatchObject({
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: { isHidden: false },
    });
    expect(entry?.Update?.UpdateExpression).toMatch(/^SET changedAt = :changedAt, .* ADD /);
    expect(entry?.Update?.ExpressionAttributeValues).toMatchObject({ ':changeFeed': 'CATALOGUE_CHANGES' });
    expect(pointer?.Put?.Item).toEqual({
      PK: 'PLUGIN#lab-viewer',
      SK: 'REVIEW_ID#r-12345678',
      reviewerId: 't-acme#user-1',
    });
    expect(record?.Put?.TableName).toBe('audit-table');
  });

  it('takes a hidden review out of the aggregates, conditioned on the revision it read', async () => {
    const previous = aReview();

    await reviews.put(
      aReview({ moderation: { state: 'hidden', reason: 'spam', at: at.toISOString() }, revision: 2 }),
      previous,
      entries,
    );

    const [review, entry] = transactItems();
    expect(review?.Put?.ConditionExpression).toBe('revision = :expected');
    expect(review?.Put?.Item).toMatchObject({ isHidden: true, revision: 2 });
    const values = entry?.Update?.ExpressionAttributeValues ?? {};
    const deltas = Object.entries(values)
      .filter(([name]) => name.startsWith(':d'))
      .map(([, by]) => by);
    expect(deltas.sort()).toEqual([-1, -1, -4].sort());
  });

  it('changes no aggregate for a reply (a condition check on the entry instead)', async () => {
    await reviews.put(
      aReview({ reply: { body: 'Thanks', repliedAt: at.toISOString() }, revision: 2 }),
      aReview(),
      [],
    );

    expect(transactItems()[1]).toHaveProperty('ConditionCheck');
  });

  it('answers false for a report its reporter made before', async () => {
    dynamodb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'));
    const repeated = await reviews.addReport(
      {
        pluginId: 'lab-viewer' as Review['pluginId'],
        reviewId: 'r-12345678',
        reporterId: 't-x#u',
        reason: 'spam',
        reportedAt: at.toISOString(),
      },
      aReview({ reportCount: 1, revision: 2 }),
      aReview(),
      entries,
    );
    expect(repeated).toBe(false);
  });

  it('answers CONCURRENT_MODIFICATION when the review changed since it was read', async () => {
    dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));

    const raced = reviews.put(aReview({ revision: 2 }), aReview(), entries);

    await expect(raced).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
  });

  it('lists visible reviews only, reading on past filtered pages until the page is full', async () => {
    const item = (n: number) => ({
      PK: 'PLUGIN#lab-viewer',
      SK: `REVIEW#t-${n}#u`,
      review: aReview({ reviewerId: `t-${n}#u` }),
    });
    dynamodb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(1)], LastEvaluatedKey: { PK: 'PLUGIN#lab-viewer', SK: 'REVIEW#t-1#u' } })
      .resolvesOnce({ Items: [item(2), item(3)] });

    const page = await reviews.list('lab-viewer', { limit: 2 });

    const inputs = dynamodb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]?.FilterExpression).toBe('attribute_not_exists(isHidden) OR isHidden = :false');
    expect(page.items.map((review) => review.reviewerId)).toEqual(['t-1#u', 't-2#u']);
    expect(page.nextCursor).toBeDefined();
  });
});

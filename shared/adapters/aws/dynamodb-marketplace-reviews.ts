import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { concurrentModification } from '../../domain/errors/lifecycle-errors.ts';
import { pluginNotFound } from '../../domain/errors/marketplace-errors.ts';
import { type Review, ReviewSchema } from '../../domain/review.ts';
import type { Page, PageRequest } from '../../ports/page.ts';
import type { ReviewRepository } from '../../ports/review-repository.ts';
import { entryChangeStamp } from './catalogue-change-stamp.ts';
import {
  ENTRY_SORT_KEY,
  failedConditions,
  pluginPartition,
  REVIEW_PREFIX,
  retryOnTransactionConflict,
  reviewSortKey,
  starAttribute,
} from './dynamodb-marketplace-keys.ts';
import { queryPage } from './dynamodb-paging.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const changedMeanwhile = (cause: unknown) => concurrentModification('review', cause);

/**
 * Each review write and the matching change of the plugin's aggregates (count, sum, per-star
 * histogram) is one TransactWriteItems: the review's condition pins the revision that was read,
 * and the aggregates change by ADD deltas, so concurrent reviewers never lose or double a vote.
 */
export class DynamoDbMarketplaceReviews implements ReviewRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async get(pluginId: string, reviewerId: string): Promise<Review | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: pluginPartition(pluginId), SK: reviewSortKey(reviewerId) },
        ConsistentRead: true,
      }),
    );
    return result.Item ? ReviewSchema.parse(result.Item.review) : undefined;
  }

  async put(review: Review, previous: Review | undefined): Promise<void> {
    const reviewItem: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          PK: pluginPartition(review.pluginId),
          SK: reviewSortKey(review.reviewerId),
          review,
          revision: review.revision,
        },
        ...(previous
          ? {
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': previous.revision },
            }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    };
    await this.transact(review.pluginId, reviewItem, this.aggregateDelta(previous, review));
  }

  async delete(previous: Review): Promise<void> {
    const reviewItem: TransactItem = {
      Delete: {
        TableName: this.tableName,
        Key: { PK: pluginPartition(previous.pluginId), SK: reviewSortKey(previous.reviewerId) },
        ConditionExpression: 'revision = :expected',
        ExpressionAttributeValues: { ':expected': previous.revision },
      },
    };
    await this.transact(previous.pluginId, reviewItem, this.aggregateDelta(previous, undefined));
  }

  list(pluginId: string, page: PageRequest): Promise<Page<Review>> {
    const partition = pluginPartition(pluginId);
    return queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': REVIEW_PREFIX },
      },
      page,
      { name: 'PK', value: partition },
      ['PK', 'SK'],
      (item) => ReviewSchema.parse(item.review),
    );
  }

  /** ADD deltas for count, sum and the histogram; an unchanged star count touches no bucket. */
  private aggregateDelta(removed: Review | undefined, added: Review | undefined): Map<string, number> {
    const delta = new Map<string, number>();
    const bump = (attribute: string, by: number) => delta.set(attribute, (delta.get(attribute) ?? 0) + by);
    if (removed) {
      bump('ratingCount', -1);
      bump('ratingSum', -removed.stars);
      bump(starAttribute(removed.stars), -1);
    }
    if (added) {
      bump('ratingCount', 1);
      bump('ratingSum', added.stars);
      bump(starAttribute(added.stars), 1);
    }
    for (const [attribute, by] of delta) if (by === 0) delta.delete(attribute);
    return delta;
  }

  private async transact(
    pluginId: string,
    reviewItem: TransactItem,
    delta: Map<string, number>,
  ): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const additions = [...delta].map(([attribute, by], index) => {
      names[`#a${index}`] = attribute;
      values[`:d${index}`] = by;
      return `#a${index} :d${index}`;
    });
    // The rating changes what search shows: stamp the entry for the change feed (no clock port here yet).
    const stamp = entryChangeStamp(pluginId, new Date());
    const aggregateItem: TransactItem = {
      ...(additions.length === 0
        ? {
            ConditionCheck: {
              TableName: this.tableName,
              Key: { PK: pluginPartition(pluginId), SK: ENTRY_SORT_KEY },
              ConditionExpression: 'attribute_exists(PK)',
            },
          }
        : {
            Update: {
              TableName: this.tableName,
              Key: { PK: pluginPartition(pluginId), SK: ENTRY_SORT_KEY },
              UpdateExpression: `SET ${stamp.set} ADD ${additions.join(', ')}`,
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ...values, ...stamp.values },
            },
          }),
    };
    try {
      await retryOnTransactionConflict(() =>
        this.client.send(new TransactWriteCommand({ TransactItems: [reviewItem, aggregateItem] })),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.[1]) throw pluginNotFound();
      if (failed?.[0]) throw changedMeanwhile(error);
      throw error;
    }
  }
}

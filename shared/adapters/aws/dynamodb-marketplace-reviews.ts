import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { concurrentModification } from '../../domain/errors/lifecycle-errors.ts';
import { pluginNotFound } from '../../domain/errors/marketplace-errors.ts';
import { isVisible, type Review, type ReviewReport, ReviewSchema } from '../../domain/review.ts';
import type { Clock } from '../../ports/clock.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { Page, PageRequest } from '../../ports/page.ts';
import type { ReviewRepository } from '../../ports/review-repository.ts';
import { entryChangeStamp } from './catalogue-change-stamp.ts';
import {
  ENTRY_SORT_KEY,
  failedConditions,
  pluginPartition,
  REVIEW_PREFIX,
  retryOnTransactionConflict,
  reviewIdSortKey,
  reviewReportSortKey,
  reviewSortKey,
  starAttribute,
} from './dynamodb-marketplace-keys.ts';
import { type TransactItem, writeWithOutbox } from './dynamodb-outbox-write.ts';
import { decodeStartKey, encodeStartKey } from './dynamodb-start-key.ts';

const changedMeanwhile = (cause: unknown) => concurrentModification('review', cause);

/** Positions in every review transaction: the review, the entry's aggregates, then the rest. */
const REVIEW_ITEM = 0;
const ENTRY_ITEM = 1;
const REPORT_ITEM = 2;

/**
 * Each review write and the matching change of the plugin's aggregates (count, sum, per-star
 * histogram) is one TransactWriteItems with the write's audit record: the review's condition pins
 * the revision that was read, and the aggregates move by ADD deltas from what the previous state
 * counted to what the new one counts (a hidden review counts nothing). Every transaction on a
 * review is serialised by that revision, so the sum of the deltas is always exactly what the
 * visible stored reviews say, however many writers race; recomputing from a read of every review
 * could not be conditioned on all of them in one transaction (100 items at most).
 */
export class DynamoDbMarketplaceReviews implements ReviewRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly auditTableName: string;
  private readonly clock: Clock;

  constructor(options: {
    client: DynamoDBDocumentClient;
    tableName: string;
    auditTableName: string;
    clock: Clock;
  }) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.auditTableName = options.auditTableName;
    this.clock = options.clock;
  }

  async get(pluginId: string, reviewerId: string): Promise<Review | undefined> {
    const item = await this.getItem(pluginId, reviewSortKey(reviewerId));
    return item ? ReviewSchema.parse(item.review) : undefined;
  }

  async getById(pluginId: string, reviewId: string): Promise<Review | undefined> {
    const pointer = await this.getItem(pluginId, reviewIdSortKey(reviewId));
    if (typeof pointer?.reviewerId !== 'string') return undefined;
    const review = await this.get(pluginId, pointer.reviewerId);
    return review?.reviewId === reviewId ? review : undefined;
  }

  async hasReported(pluginId: string, reviewId: string, reporterId: string): Promise<boolean> {
    return (await this.getItem(pluginId, reviewReportSortKey(reviewId, reporterId))) !== undefined;
  }

  async put(review: Review, previous: Review | undefined, outbox: OutboxEntries): Promise<void> {
    // The id pointer is written with the review's first version and never changes after.
    const pointer: TransactItem[] = previous
      ? []
      : [
          {
            Put: {
              TableName: this.tableName,
              Item: {
                PK: pluginPartition(review.pluginId),
                SK: reviewIdSortKey(review.reviewId),
                reviewerId: review.reviewerId,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ];
    await this.transact(review.pluginId, this.reviewPut(review, previous), previous, review, pointer, outbox);
  }

  async delete(previous: Review, outbox: OutboxEntries): Promise<void> {
    const reviewItem: TransactItem = {
      Delete: {
        TableName: this.tableName,
        Key: { PK: pluginPartition(previous.pluginId), SK: reviewSortKey(previous.reviewerId) },
        ConditionExpression: 'revision = :expected',
        ExpressionAttributeValues: { ':expected': previous.revision },
      },
    };
    const pointer: TransactItem = {
      Delete: {
        TableName: this.tableName,
        Key: { PK: pluginPartition(previous.pluginId), SK: reviewIdSortKey(previous.reviewId) },
      },
    };
    await this.transact(previous.pluginId, reviewItem, previous, undefined, [pointer], outbox);
  }

  async addReport(
    report: ReviewReport,
    review: Review,
    previous: Review,
    outbox: OutboxEntries,
  ): Promise<boolean> {
    const reportItem: TransactItem = {
      Put: {
        TableName: this.tableName,
        Item: {
          PK: pluginPartition(report.pluginId),
          SK: reviewReportSortKey(report.reviewId, report.reporterId),
          report,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    try {
      await this.transact(
        review.pluginId,
        this.reviewPut(review, previous),
        previous,
        review,
        [reportItem],
        outbox,
      );
      return true;
    } catch (error) {
      // The review held (else CONCURRENT_MODIFICATION): the report is what exists already.
      if (failedConditions(error)?.[REPORT_ITEM]) return false;
      throw error;
    }
  }

  /**
   * The visible reviews, a page at a time. Hidden ones are filtered out by DynamoDB, so a page may
   * take more than one Query to fill; one item more than the page is read, so a cursor is handed
   * out only when another visible review exists.
   */
  async list(pluginId: string, page: PageRequest): Promise<Page<Review>> {
    const partition = { name: 'PK', value: pluginPartition(pluginId) };
    const found: Record<string, unknown>[] = [];
    let startKey = decodeStartKey(page.cursor, partition);
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          FilterExpression: 'attribute_not_exists(isHidden) OR isHidden = :false',
          ExpressionAttributeValues: { ':pk': partition.value, ':prefix': REVIEW_PREFIX, ':false': false },
          ExclusiveStartKey: startKey,
          Limit: page.limit + 1 - found.length,
        }),
      );
      found.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey && found.length <= page.limit);
    const items = found.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map((item) => ReviewSchema.parse(item.review)),
      nextCursor:
        found.length > page.limit && last ? encodeStartKey({ PK: last.PK, SK: last.SK }) : undefined,
    };
  }

  private reviewPut(review: Review, previous: Review | undefined): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          PK: pluginPartition(review.pluginId),
          SK: reviewSortKey(review.reviewerId),
          review,
          revision: review.revision,
          isHidden: !isVisible(review),
        },
        ...(previous
          ? {
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': previous.revision },
            }
          : { ConditionExpression: 'attribute_not_exists(PK)' }),
      },
    };
  }

  /** What a review state counts in the aggregates: nothing when absent or hidden. */
  private aggregateDelta(removed: Review | undefined, added: Review | undefined): Map<string, number> {
    const delta = new Map<string, number>();
    const bump = (attribute: string, by: number) => delta.set(attribute, (delta.get(attribute) ?? 0) + by);
    const count = (review: Review | undefined, sign: 1 | -1) => {
      if (!review || !isVisible(review)) return;
      bump('ratingCount', sign);
      bump('ratingSum', sign * review.stars);
      bump(starAttribute(review.stars), sign);
    };
    count(removed, -1);
    count(added, 1);
    for (const [attribute, by] of delta) if (by === 0) delta.delete(attribute);
    return delta;
  }

  private async transact(
    pluginId: string,
    reviewItem: TransactItem,
    removed: Review | undefined,
    added: Review | undefined,
    extra: readonly TransactItem[],
    outbox: OutboxEntries,
  ): Promise<void> {
    const delta = this.aggregateDelta(removed, added);
    const entryKey = { PK: pluginPartition(pluginId), SK: ENTRY_SORT_KEY };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const additions = [...delta].map(([attribute, by], index) => {
      names[`#a${index}`] = attribute;
      values[`:d${index}`] = by;
      return `#a${index} :d${index}`;
    });
    const stamp = entryChangeStamp(pluginId, this.clock.now());
    // The rating moved: the change feed carries it to other instances' search indexes.
    const entryItem: TransactItem =
      additions.length === 0
        ? {
            ConditionCheck: {
              TableName: this.tableName,
              Key: entryKey,
              ConditionExpression: 'attribute_exists(PK)',
            },
          }
        : {
            Update: {
              TableName: this.tableName,
              Key: entryKey,
              UpdateExpression: `SET ${stamp.set} ADD ${additions.join(', ')}`,
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ...values, ...stamp.values },
            },
          };
    const { client, auditTableName } = this;
    try {
      await retryOnTransactionConflict(() =>
        writeWithOutbox({ client, auditTableName, changes: [reviewItem, entryItem, ...extra], outbox }),
      );
    } catch (error) {
      const failed = failedConditions(error);
      if (failed?.[REVIEW_ITEM]) throw changedMeanwhile(error);
      if (failed?.[ENTRY_ITEM]) throw pluginNotFound();
      // A third item's condition (a report made before, an id pointer taken): the caller's to read.
      throw error;
    }
  }

  private async getItem(pluginId: string, sortKey: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: pluginPartition(pluginId), SK: sortKey },
        ConsistentRead: true,
      }),
    );
    return result.Item;
  }
}

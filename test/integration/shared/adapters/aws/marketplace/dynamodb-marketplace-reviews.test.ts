import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbMarketplaceCatalogue } from '../../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { DynamoDbMarketplaceReviews } from '../../../../../../shared/adapters/aws/dynamodb-marketplace-reviews.ts';
import { DynamoDbUsageCounters } from '../../../../../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { DomainError } from '../../../../../../shared/domain/errors/domain-error.ts';
import { PluginMetadataSchema } from '../../../../../../shared/domain/manifest.ts';
import type { ReleaseRecord } from '../../../../../../shared/domain/marketplace.ts';
import type { Review } from '../../../../../../shared/domain/review.ts';
import { uuidGenerator } from '../../../../../../shared/ports/id-generator.ts';
import { CatalogueSearch } from '../../../../../../shared/services/marketplace/catalogue-search.ts';
import { deleteReview, putReview } from '../../../../../../shared/services/marketplace/manage-reviews.ts';
import {
  moderateReview,
  reportReview,
} from '../../../../../../shared/services/marketplace/moderate-reviews.ts';
import { createTestTables } from '../../../../../support/dynamodb-tables.ts';
import { actor } from '../../../../../support/fakes/in-memory-marketplace-harness.ts';
import { InMemoryMarketplaceInstallations } from '../../../../../support/fakes/in-memory-marketplace-ports.ts';
import { InMemoryOutbox } from '../../../../../support/fakes/in-memory-outbox.ts';

const release = (pluginId: string): ReleaseRecord => ({
  pluginId: pluginId as ReleaseRecord['pluginId'],
  version: '1.0.0',
  sha256: 'a'.repeat(64),
  sizeBytes: 10,
  publisherId: 'pub-acme',
  publisherKeyId: 'pk_1',
  metadata: PluginMetadataSchema.parse({
    name: `Plugin ${pluginId}`,
    description: 'd',
    author: 'a',
    tags: [],
  }),
  status: 'active',
  publishedAt: '2030-01-01T00:00:00.000Z',
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error) => (error instanceof DomainError ? error.code : Promise.reject(error)),
  );

const admin = actor('platform', ['marketplace:admin'], 'moderator');
const USERS = 8;

describe('DynamoDB marketplace reviews (DynamoDB Local)', () => {
  let catalogue: DynamoDbMarketplaceCatalogue;
  let reviews: DynamoDbMarketplaceReviews;
  let deps: Parameters<typeof putReview>[3] & Parameters<typeof moderateReview>[4];

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    const clock = { now: () => new Date() };
    catalogue = new DynamoDbMarketplaceCatalogue(documentClient, names.marketplace, names.audit);
    reviews = new DynamoDbMarketplaceReviews({
      client: documentClient,
      tableName: names.marketplace,
      auditTableName: names.audit,
      clock,
    });
    deps = {
      catalogue,
      reviews,
      installations: new InMemoryMarketplaceInstallations(),
      clock,
      ids: uuidGenerator,
      search: new CatalogueSearch({ catalogue, clock, maxAgeMs: 60_000 }),
      outbox: new InMemoryOutbox(),
      auditRetry: { attempts: 3, baseDelayMs: 0 },
      reviewCounters: new DynamoDbUsageCounters({ client: documentClient, tableName: names.plugins, clock }),
      reviewWriteLimits: { perUser: 10_000, perTenant: 10_000, windowMs: 3_600_000 },
    };
  });

  const reviewers = Array.from({ length: USERS }, (_, index) => actor(`t-${index}`, [], `user-${index}`));

  async function publishAndInstall(pluginId: string): Promise<void> {
    await catalogue.createRelease(release(pluginId));
    for (const who of reviewers) {
      await catalogue.incrementDownloads(
        pluginId,
        { tenantId: who.tenantId, version: '1.0.0', at: '2030-01-01T00:00:00.000Z' },
        [],
      );
    }
  }

  /** Every stored review (hidden ones too) by a raw look at the repository's pointers. */
  async function storedReviews(pluginId: string): Promise<Review[]> {
    const found = await Promise.all(
      reviewers.map((who) => reviews.get(pluginId, `${who.tenantId}#${who.userId}`)),
    );
    return found.filter((review): review is Review => review !== undefined);
  }

  async function expectAggregatesMatchVisible(pluginId: string): Promise<void> {
    const visible: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await reviews.list(pluginId, { limit: 5, cursor });
      visible.push(...page.items.map((review) => review.stars));
      cursor = page.nextCursor;
    } while (cursor);
    const stored = await storedReviews(pluginId);
    const expected = stored
      .filter((review) => review.moderation?.state !== 'hidden')
      .map((review) => review.stars);
    const rating = (await catalogue.getEntry(pluginId))?.rating;
    const histogram = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } as Record<number, number>;
    for (const stars of visible) histogram[stars] = (histogram[stars] ?? 0) + 1;
    expect(visible.sort()).toEqual(expected.sort());
    expect(rating?.count).toBe(visible.length);
    expect(rating?.sum).toBe(visible.reduce((total, stars) => total + stars, 0));
    expect(rating?.histogram).toEqual(histogram);
  }

  it('keeps the aggregates equal to the visible reviews under parallel puts, deletes, hides and restores', async () => {
    let run = 0;
    const operation = fc.record({
      user: fc.integer({ min: 0, max: USERS - 1 }),
      kind: fc.constantFrom('put', 'put', 'delete', 'hide', 'restore', 'report'),
      stars: fc.integer({ min: 1, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 10, maxLength: 24 }), async (schedule) => {
        run += 1;
        const pluginId = `moderated-${run}`;
        await publishAndInstall(pluginId);
        // Everyone reviews first, so that moderation has reviews to act on.
        await Promise.all(
          reviewers.map((who, index) =>
            putReview(pluginId, { stars: (index % 5) + 1, title: 'first', body: '' }, who, deps),
          ),
        );
        const ids = new Map(
          (await storedReviews(pluginId)).map((review) => [review.tenantId, review.reviewId]),
        );

        await Promise.all(
          schedule.map(async ({ user, kind, stars }) => {
            const who = reviewers[user] ?? admin;
            const reviewId = ids.get(who.tenantId) ?? 'missing-id';
            const outcome = await codeOf(
              kind === 'put'
                ? putReview(pluginId, { stars, title: 'edit', body: '' }, who, deps)
                : kind === 'delete'
                  ? deleteReview(pluginId, who, deps)
                  : kind === 'report'
                    ? reportReview(
                        pluginId,
                        reviewId,
                        { reason: 'spam' },
                        reviewers[(user + 1) % USERS] ?? admin,
                        deps,
                      )
                    : moderateReview(
                        pluginId,
                        reviewId,
                        { state: kind === 'hide' ? 'hidden' : 'restored', reason: 'moderation test' },
                        admin,
                        deps,
                      ),
            );
            // A review deleted meanwhile is the only refusal a schedule may meet.
            expect(['OK', 'REVIEW_NOT_FOUND']).toContain(outcome);
          }),
        );

        await expectAggregatesMatchVisible(pluginId);
      }),
      { numRuns: 2, seed: 1212 },
    );
  });

  it('hides a review from the list and the rating, and restores it into both', async () => {
    await publishAndInstall('hidden-one');
    const [first, second] = reviewers;
    const written = await putReview('hidden-one', { stars: 1, title: 'bad', body: '' }, first ?? admin, deps);
    await putReview('hidden-one', { stars: 5, title: 'good', body: '' }, second ?? admin, deps);

    await moderateReview(
      'hidden-one',
      written.review.reviewId,
      { state: 'hidden', reason: 'spam' },
      admin,
      deps,
    );
    const whileHidden = await catalogue.getEntry('hidden-one');
    const listed = await reviews.list('hidden-one', { limit: 10 });
    await moderateReview(
      'hidden-one',
      written.review.reviewId,
      { state: 'restored', reason: 'appeal' },
      admin,
      deps,
    );

    expect(whileHidden?.rating).toMatchObject({ count: 1, sum: 5 });
    expect(listed.items.map((review) => review.stars)).toEqual([5]);
    expect((await catalogue.getEntry('hidden-one'))?.rating).toMatchObject({ count: 2, sum: 6 });
  });

  it('counts one report per reporter even when the same report races itself', async () => {
    await publishAndInstall('reported');
    const written = await putReview(
      'reported',
      { stars: 2, title: 'meh', body: '' },
      reviewers[0] ?? admin,
      deps,
    );
    const reporter = reviewers[1] ?? admin;

    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () =>
        reportReview('reported', written.review.reviewId, { reason: 'off-topic' }, reporter, deps),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.isNew)).toHaveLength(1);
    expect((await reviews.getById('reported', written.review.reviewId))?.reportCount).toBe(1);
  });

  it('keeps the installer record after its first version and refuses a review of an unknown plugin', async () => {
    await publishAndInstall('installed');
    await catalogue.incrementDownloads(
      'installed',
      { tenantId: 't-0', version: '1.1.0', at: '2030-02-01T00:00:00.000Z' },
      [],
    );

    expect(await catalogue.getInstaller('installed', 't-0')).toMatchObject({
      firstVersion: '1.0.0',
      lastVersion: '1.1.0',
    });
    expect(await catalogue.getInstaller('installed', 'never')).toBeUndefined();
    expect(await codeOf(putReview('ghost', { stars: 3, title: 't', body: '' }, actor('t-0'), deps))).toBe(
      'PLUGIN_NOT_FOUND',
    );
  });
});

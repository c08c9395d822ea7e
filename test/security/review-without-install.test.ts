import { describe, expect, it } from 'vitest';
import { DomainError } from '../../shared/domain/errors/domain-error.ts';
import {
  actor,
  createMarketplaceHarness,
  publisherKeyPair,
} from '../support/fakes/in-memory-marketplace-harness.ts';

/**
 * The attacks: a tenant that never ran a plugin reviews it (a competitor, a sock puppet) to move its
 * rating; and a caller who knows a review id of one plugin replies to, reports or hides it through
 * another plugin's path (say a publisher replying under a plugin it owns to a review it does not).
 * Neither may write anything: no review, no aggregate change, no report, no reply.
 */
const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'OK';
};

const admin = actor('platform', ['marketplace:admin'], 'moderator');

async function twoPlugins() {
  const harness = createMarketplaceHarness();
  await harness.publish('lab-viewer', '1.0.0');
  await harness.publish('evil-plugin', '1.0.0', { tenant: 'pub-evil', key: publisherKeyPair() });
  await harness.service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
  const { review } = await harness.service.addReview(
    'lab-viewer',
    { stars: 5, title: 'Great', body: '' },
    actor('t-acme'),
  );
  return { ...harness, reviewId: review.reviewId };
}

describe('review without install', () => {
  it('refuses a tenant that never installed the plugin and leaves the rating untouched', async () => {
    const { service, fakes } = await twoPlugins();
    // Installing another plugin does not make the tenant an installer of this one.
    await service.downloadAndInstall('evil-plugin', '1.0.0', actor('t-rival'));

    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        codeOf(
          service.addReview(
            'lab-viewer',
            { stars: 1, title: 'Bad', body: '' },
            actor('t-rival', undefined, `u${index}`),
          ),
        ),
      ),
    );

    expect(new Set(outcomes)).toEqual(new Set(['REVIEWER_NOT_INSTALLER']));
    expect((await service.getPlugin('lab-viewer')).rating).toMatchObject({ count: 1, sum: 5 });
    expect([...fakes.reviews.reviews.values()].map((review) => review.tenantId)).toEqual(['t-acme']);
  });

  it('does not let a review id of one plugin be replied to, reported or hidden through another', async () => {
    const { service, fakes, reviewId } = await twoPlugins();
    const evilPublisher = actor('pub-evil', ['marketplace:publish']);

    const reply = await codeOf(service.replyToReview('evil-plugin', reviewId, 'Gotcha', evilPublisher));
    const report = await codeOf(
      service.reportReview('evil-plugin', reviewId, { reason: 'spam' }, evilPublisher),
    );
    const hide = await codeOf(
      service.moderateReview('evil-plugin', reviewId, { state: 'hidden', reason: 'x' }, admin),
    );
    const replyToOthers = await codeOf(
      service.replyToReview('lab-viewer', reviewId, 'Gotcha', evilPublisher),
    );

    expect([reply, report, hide]).toEqual(['REVIEW_NOT_FOUND', 'REVIEW_NOT_FOUND', 'REVIEW_NOT_FOUND']);
    expect(replyToOthers).toBe('NOT_PLUGIN_OWNER');
    const stored = await fakes.reviews.getById('lab-viewer', reviewId);
    expect(stored).toMatchObject({ reportCount: 0 });
    expect(stored?.reply).toBeUndefined();
    expect(stored?.moderation).toBeUndefined();
    expect(fakes.reviews.reports.size).toBe(0);
  });
});

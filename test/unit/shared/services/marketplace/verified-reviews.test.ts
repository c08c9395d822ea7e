import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../../shared/domain/errors/domain-error.ts';
import type { UsageCounters } from '../../../../../shared/sandbox/usage-counters.ts';
import { PluginMarketplaceService } from '../../../../../shared/services/marketplace/plugin-marketplace-service.ts';
import { actor, createMarketplaceHarness } from '../../../../support/fakes/in-memory-marketplace-harness.ts';

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'OK';
};

const review = (stars = 4) => ({ stars, title: 'Useful', body: '' });
const admin = actor('platform', ['marketplace:admin'], 'moderator');
const publisher = actor('pub-acme', ['marketplace:publish']);

async function installedPlugin() {
  const harness = createMarketplaceHarness();
  await harness.publish('lab-viewer', '1.0.0');
  await harness.service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
  return harness;
}

describe('reviews by verified installers', () => {
  it('refuses a tenant that never installed the plugin, writing nothing', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');

    const outcome = await codeOf(service.addReview('lab-viewer', review(), actor('t-stranger')));

    expect(outcome).toBe('REVIEWER_NOT_INSTALLER');
    expect(fakes.reviews.reviews.size).toBe(0);
    expect((await service.getPlugin('lab-viewer')).rating.count).toBe(0);
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'marketplace:review-put',
      outcome: 'refused',
      code: 'REVIEWER_NOT_INSTALLER',
    });
  });

  it('records the installed version and marks the review as a verified installer’s', async () => {
    const { service, fakes } = await installedPlugin();

    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));

    expect(written).toMatchObject({ version: '1.0.0', verifiedInstaller: true, tenantId: 't-acme' });
    expect(written.reviewId).toMatch(/^[A-Za-z0-9-]{8,64}$/);
    expect(written).not.toHaveProperty('reviewerId');
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'marketplace:review-put',
      outcome: 'success',
      reviewId: written.reviewId,
    });
  });

  it('still lets a tenant that uninstalled review, against the last version it had', async () => {
    const { service, fakes, publish } = await installedPlugin();
    await publish('lab-viewer', '1.1.0');
    await fakes.installations.delete('t-acme' as never, 'lab-viewer' as never);
    await service.downloadAndInstall('lab-viewer', '1.1.0', actor('t-acme'));
    await fakes.installations.delete('t-acme' as never, 'lab-viewer' as never);

    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));

    expect(written.version).toBe('1.1.0');
    expect(await fakes.catalogue.getInstaller('lab-viewer', 't-acme')).toMatchObject({
      firstVersion: '1.0.0',
      lastVersion: '1.1.0',
    });
  });

  it('writes against the version the tenant runs now when it updated since installing', async () => {
    const { service, fakes } = await installedPlugin();
    const installed = await fakes.installations.get('t-acme' as never, 'lab-viewer' as never);
    await fakes.installations.update({ ...(installed as NonNullable<typeof installed>), version: '1.0.5' });

    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));

    expect(written.version).toBe('1.0.5');
  });
});

describe('reports, replies and moderation', () => {
  it('counts one report per user: a repeat is idempotent and audited', async () => {
    const { service, fakes } = await installedPlugin();
    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));
    const reporter = actor('t-other', [], 'user-9');

    const first = await service.reportReview('lab-viewer', written.reviewId, { reason: 'spam' }, reporter);
    const again = await service.reportReview('lab-viewer', written.reviewId, { reason: 'spam' }, reporter);

    expect([first.isNew, again.isNew]).toEqual([true, false]);
    expect((await fakes.reviews.getById('lab-viewer', written.reviewId))?.reportCount).toBe(1);
    const reports = fakes.outbox.records.filter((record) => record.action === 'marketplace:review-report');
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ outcome: 'success', reason: 'spam', reviewId: written.reviewId });
  });

  it('lets only the plugin’s publisher reply, and only once', async () => {
    const { service } = await installedPlugin();
    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));

    const other = await codeOf(
      service.replyToReview(
        'lab-viewer',
        written.reviewId,
        'Not mine',
        actor('pub-evil', ['marketplace:publish']),
      ),
    );
    const reply = await service.replyToReview('lab-viewer', written.reviewId, 'Thanks!', publisher);
    const second = await codeOf(service.replyToReview('lab-viewer', written.reviewId, 'Again', publisher));

    expect(other).toBe('NOT_PLUGIN_OWNER');
    expect(reply.reply?.body).toBe('Thanks!');
    expect(second).toBe('REVIEW_ALREADY_REPLIED');
    expect((await service.listReviews('lab-viewer', { limit: 10 })).items[0]?.reply?.body).toBe('Thanks!');
  });

  it('hides a review from the list and the aggregates and restores it, both audited with the reason', async () => {
    const { service, fakes } = await installedPlugin();
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-globex'));
    const { review: bad } = await service.addReview('lab-viewer', review(1), actor('t-acme'));
    await service.addReview('lab-viewer', review(5), actor('t-globex'));

    const hidden = await service.moderateReview(
      'lab-viewer',
      bad.reviewId,
      { state: 'hidden', reason: 'spam ring' },
      admin,
    );
    const whileHidden = await service.getPlugin('lab-viewer');
    const listed = await service.listReviews('lab-viewer', { limit: 10 });
    await service.moderateReview(
      'lab-viewer',
      bad.reviewId,
      { state: 'restored', reason: 'appeal upheld' },
      admin,
    );

    expect(hidden).toMatchObject({ reviewId: bad.reviewId, state: 'hidden', reason: 'spam ring' });
    expect(whileHidden.rating).toMatchObject({ count: 1, sum: 5, histogram: { 1: 0, 5: 1 } });
    expect(listed.items.map((item) => item.reviewId)).not.toContain(bad.reviewId);
    expect((await service.getPlugin('lab-viewer')).rating).toMatchObject({ count: 2, sum: 6 });
    const moderation = fakes.outbox.records.filter(
      (record) =>
        record.action.startsWith('marketplace:review-hide') || record.action === 'marketplace:review-restore',
    );
    expect(moderation).toMatchObject([
      { action: 'marketplace:review-hide', outcome: 'success', reason: 'spam ring', reviewId: bad.reviewId },
      {
        action: 'marketplace:review-restore',
        outcome: 'success',
        reason: 'appeal upheld',
        reviewId: bad.reviewId,
      },
    ]);
  });

  it('keeps an edited hidden review hidden and out of the aggregates', async () => {
    const { service } = await installedPlugin();
    const { review: bad } = await service.addReview('lab-viewer', review(1), actor('t-acme'));
    await service.moderateReview('lab-viewer', bad.reviewId, { state: 'hidden', reason: 'abuse' }, admin);

    await service.addReview('lab-viewer', review(5), actor('t-acme'));

    expect((await service.getPlugin('lab-viewer')).rating.count).toBe(0);
    expect((await service.listReviews('lab-viewer', { limit: 10 })).items).toHaveLength(0);
  });

  it('refuses moderation without marketplace:admin', async () => {
    const { service } = await installedPlugin();
    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));

    expect(
      await codeOf(
        service.moderateReview('lab-viewer', written.reviewId, { state: 'hidden', reason: 'x' }, publisher),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('review write rate limits', () => {
  const limited = async (limits: { perUser: number; perTenant: number }) => {
    const harness = await installedPlugin();
    const deps = { ...harness.fakes, installerFor: harness.fakes.installers.installerFor };
    const service = new PluginMarketplaceService({
      ...deps,
      reviewWriteLimits: { ...limits, windowMs: 3_600_000 },
    });
    return { ...harness, service };
  };

  it('refuses a user’s write past its limit with RATE_LIMITED and a Retry-After', async () => {
    const { service } = await limited({ perUser: 2, perTenant: 50 });
    await service.addReview('lab-viewer', review(), actor('t-acme'));
    await service.addReview('lab-viewer', review(3), actor('t-acme'));

    const third = service.addReview('lab-viewer', review(2), actor('t-acme'));

    await expect(third).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 600 });
    expect(
      await codeOf(service.addReview('lab-viewer', review(2), actor('t-acme', undefined, 'user-2'))),
    ).toBe('OK');
  });

  it('refuses a tenant’s writes past its limit whichever user writes', async () => {
    const { service } = await limited({ perUser: 10, perTenant: 2 });
    await service.addReview('lab-viewer', review(), actor('t-acme', undefined, 'user-a'));
    await service.addReview('lab-viewer', review(), actor('t-acme', undefined, 'user-b'));

    expect(
      await codeOf(service.addReview('lab-viewer', review(), actor('t-acme', undefined, 'user-c'))),
    ).toBe('RATE_LIMITED');
  });

  it('counts reports against the same limits', async () => {
    const { service } = await limited({ perUser: 2, perTenant: 50 });
    const { review: written } = await service.addReview('lab-viewer', review(), actor('t-acme'));
    const reporter = actor('t-other', [], 'user-9');
    await service.reportReview('lab-viewer', written.reviewId, { reason: 'spam' }, reporter);
    await service.reportReview('lab-viewer', written.reviewId, { reason: 'spam' }, reporter);

    expect(
      await codeOf(service.reportReview('lab-viewer', written.reviewId, { reason: 'spam' }, reporter)),
    ).toBe('RATE_LIMITED');
  });

  it('fails closed with REVIEW_WRITES_UNAVAILABLE (503) when the counter store is down, writing nothing', async () => {
    const harness = await installedPlugin();
    const down: UsageCounters = {
      consume: () => Promise.reject(new Error('counter store unreachable')),
      release: () => Promise.reject(new Error('counter store unreachable')),
    };
    const service = new PluginMarketplaceService({
      ...harness.fakes,
      installerFor: harness.fakes.installers.installerFor,
      reviewCounters: down,
    });

    const outcome = service.addReview('lab-viewer', review(), actor('t-acme'));

    await expect(outcome).rejects.toMatchObject({ code: 'REVIEW_WRITES_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(harness.fakes.reviews.reviews.size).toBe(0);
  });
});

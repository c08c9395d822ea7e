import { describe, expect, it, vi } from 'vitest';
import type { OutboxEntries } from '../../../../../shared/ports/outbox.ts';
import {
  actor,
  createMarketplaceHarness,
  publisherKeyPair,
} from '../../../../support/fakes/in-memory-marketplace-harness.ts';

const admin = actor('platform-ops', ['marketplace:admin'], 'ops-1');
const PUBLISHER = 'pub-acme';

async function harnessWithEntries() {
  const h = createMarketplaceHarness();
  await h.publish('lab-viewer', '1.0.0');
  await h.publish('lab-charts', '1.0.0');
  await h.publish('other-tool', '1.0.0', { tenant: 'pub-other', key: publisherKeyPair() });
  return h;
}

describe('verifyPublisher', () => {
  it('verifies by DNS TXT: the evidence is stored and every entry of the publisher says verified', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);

    const view = await service.verifyPublisher(
      PUBLISHER,
      { method: 'dns-txt', domain: 'acme-health.com', baaReference: 'BAA-2030-17' },
      admin,
    );

    expect(view).toEqual({
      publisherId: PUBLISHER,
      displayName: PUBLISHER,
      isVerified: true,
      verification: {
        method: 'dns-txt',
        domain: 'acme-health.com',
        checkedAt: '2030-01-01T00:00:00.000Z',
        verifiedBy: 'platform-ops/ops-1',
        baaReference: 'BAA-2030-17',
      },
      entriesUpdated: 2,
    });
    expect(fakes.catalogue.entries.get('lab-viewer')?.publisherVerified).toBe(true);
    expect(fakes.catalogue.entries.get('lab-charts')?.publisherVerified).toBe(true);
    expect(fakes.catalogue.entries.get('other-tool')?.publisherVerified).toBe(false);
  });

  it('verifies by well-known file and keeps an existing display name', async () => {
    const { service, fakes } = await harnessWithEntries();
    await fakes.catalogue.putPublisher({
      publisherId: PUBLISHER,
      displayName: 'Acme Health',
      isVerified: false,
    });
    fakes.publisherProofs['well-known'].publish('acme-health.com', PUBLISHER);

    const view = await service.verifyPublisher(
      PUBLISHER,
      { method: 'well-known', domain: 'acme-health.com' },
      admin,
    );

    expect(view).toMatchObject({ displayName: 'Acme Health', isVerified: true });
    expect(view.verification).not.toHaveProperty('baaReference');
    expect(fakes.publisherProofs['well-known'].checked).toEqual([
      { domain: 'acme-health.com', publisherId: PUBLISHER },
    ]);
  });

  it('commits its audit record in the same write as the profile', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);
    const written: OutboxEntries[] = [];
    const save = fakes.catalogue.savePublisher.bind(fakes.catalogue);
    vi.spyOn(fakes.catalogue, 'savePublisher').mockImplementation(async (profile, outbox) => {
      written.push(outbox ?? []);
      await save(profile, outbox);
    });

    await service.verifyPublisher(PUBLISHER, { method: 'dns-txt', domain: 'acme-health.com' }, admin);

    expect(written).toHaveLength(1);
    expect(written[0]?.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({
        action: 'marketplace:publisher-verify',
        outcome: 'success',
        publisherId: PUBLISHER,
        actor: 'platform-ops/ops-1',
      }),
    ]);
    expect(fakes.outbox.records.filter((r) => r.action === 'marketplace:publisher-verify')).toHaveLength(1);
  });

  it('refuses a proof naming another publisher, writing nothing but the refusal', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', 'pub-other');

    const attempt = service.verifyPublisher(
      PUBLISHER,
      { method: 'dns-txt', domain: 'acme-health.com' },
      admin,
    );

    await expect(attempt).rejects.toMatchObject({ code: 'PUBLISHER_PROOF_NOT_FOUND', field: 'domain' });
    expect(await fakes.catalogue.getPublisher(PUBLISHER)).toBeUndefined();
    expect(fakes.catalogue.entries.get('lab-viewer')?.publisherVerified).toBe(false);
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'marketplace:publisher-verify',
      outcome: 'refused',
      code: 'PUBLISHER_PROOF_NOT_FOUND',
    });
  });

  it('answers a private domain and an unreachable one with their own codes', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['well-known'].fail('internal.acme.com', 'address-not-allowed');
    fakes.publisherProofs['well-known'].fail('slow.acme.com', 'unreachable');

    const privateDomain = service.verifyPublisher(
      PUBLISHER,
      { method: 'well-known', domain: 'internal.acme.com' },
      admin,
    );
    const slowDomain = service.verifyPublisher(
      PUBLISHER,
      { method: 'well-known', domain: 'slow.acme.com' },
      admin,
    );

    await expect(privateDomain).rejects.toMatchObject({ code: 'PUBLISHER_DOMAIN_NOT_ALLOWED' });
    await expect(slowDomain).rejects.toMatchObject({
      code: 'PUBLISHER_PROOF_UNREACHABLE',
      retryAfterSeconds: 60,
    });
  });

  it('refuses a caller without marketplace:admin before checking any proof', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);

    const attempt = service.verifyPublisher(
      PUBLISHER,
      { method: 'dns-txt', domain: 'acme-health.com' },
      actor(PUBLISHER, ['marketplace:publish']),
    );

    await expect(attempt).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(fakes.publisherProofs['dns-txt'].checked).toEqual([]);
    expect(await fakes.catalogue.getPublisher(PUBLISHER)).toBeUndefined();
  });

  it('shows the verification on the plugin page, the BAA only as hasBaa', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);
    await service.verifyPublisher(
      PUBLISHER,
      { method: 'dns-txt', domain: 'acme-health.com', baaReference: 'BAA-2030-17' },
      admin,
    );

    const page = await service.getPlugin('lab-viewer');

    expect(page.publisher).toEqual({
      publisherId: PUBLISHER,
      displayName: PUBLISHER,
      isVerified: true,
      verification: {
        method: 'dns-txt',
        domain: 'acme-health.com',
        checkedAt: '2030-01-01T00:00:00.000Z',
        hasBaa: true,
      },
    });
    expect(JSON.stringify(page)).not.toContain('BAA-2030-17');
  });

  it("lists a verified publisher's first publish as verified", async () => {
    const { service, fakes, publish } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);
    await service.verifyPublisher(PUBLISHER, { method: 'dns-txt', domain: 'acme-health.com' }, admin);

    await publish('lab-new', '1.0.0');

    expect(fakes.catalogue.entries.get('lab-new')?.publisherVerified).toBe(true);
  });
});

describe('revokePublisherVerification', () => {
  it('unverifies the publisher and its entries, keeping the evidence as history, audited', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);
    await service.verifyPublisher(PUBLISHER, { method: 'dns-txt', domain: 'acme-health.com' }, admin);

    const view = await service.revokePublisherVerification(PUBLISHER, 'domain expired', admin);

    expect(view).toMatchObject({
      isVerified: false,
      verification: { method: 'dns-txt', domain: 'acme-health.com' },
      revocation: {
        revokedAt: '2030-01-01T00:00:00.000Z',
        revokedBy: 'platform-ops/ops-1',
        reason: 'domain expired',
      },
      entriesUpdated: 2,
    });
    expect(fakes.catalogue.entries.get('lab-viewer')?.publisherVerified).toBe(false);
    expect((await service.getPlugin('lab-viewer')).publisher).toEqual({
      publisherId: PUBLISHER,
      displayName: PUBLISHER,
      isVerified: false,
    });
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'marketplace:publisher-unverify',
      outcome: 'success',
      reason: 'domain expired',
    });
  });

  it('clears the revocation when the publisher is verified again', async () => {
    const { service, fakes } = await harnessWithEntries();
    fakes.publisherProofs['dns-txt'].publish('acme-health.com', PUBLISHER);
    await service.revokePublisherVerification(PUBLISHER, undefined, admin);

    const view = await service.verifyPublisher(
      PUBLISHER,
      { method: 'dns-txt', domain: 'acme-health.com' },
      admin,
    );

    expect(view.isVerified).toBe(true);
    expect(view).not.toHaveProperty('revocation');
  });

  it('refuses a caller without marketplace:admin', async () => {
    const { service } = await harnessWithEntries();

    await expect(
      service.revokePublisherVerification(PUBLISHER, undefined, actor(PUBLISHER)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

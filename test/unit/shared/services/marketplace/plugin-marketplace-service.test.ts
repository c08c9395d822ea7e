import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../../shared/domain/errors/domain-error.ts';
import {
  actor,
  createMarketplaceHarness,
  pluginCode,
  publisherKeyPair,
} from '../../../../support/fakes/in-memory-marketplace-harness.ts';

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'OK';
};

const searchAll = { query: '', tags: [], sort: 'relevance' as const, limit: 20 };

describe('PluginMarketplaceService: publishing', () => {
  it('publishes a signed release, stores the artifact by digest and a verifiable platform statement', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();

    const release = await publish('lab-viewer', '1.0.0');

    expect(release).toMatchObject({
      pluginId: 'lab-viewer',
      version: '1.0.0',
      status: 'active',
      publisherId: 'pub-acme',
    });
    expect(fakes.artifacts.artifacts.has(release.sha256)).toBe(true);
    const statement = fakes.artifacts.statements.get('lab-viewer@1.0.0');
    expect(JSON.parse(statement?.payload ?? '{}')).toMatchObject({
      sha256: release.sha256,
      publisher: 'pub-acme',
    });
    expect(fakes.outbox.records.at(-1)).toMatchObject({ action: 'marketplace:publish', outcome: 'success' });
    expect((await service.getPlugin('lab-viewer')).latestVersion).toBe('1.0.0');
  });

  it('refuses republishing a version with 409 VERSION_EXISTS', async () => {
    const { publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');

    expect(await codeOf(publish('lab-viewer', '1.0.0', { code: pluginCode('other') }))).toBe(
      'VERSION_EXISTS',
    );
  });

  it('completes a publish that failed after claiming the version, but only with the same bytes', async () => {
    const { fakes, publish } = createMarketplaceHarness();
    const sign = fakes.signer.sign.bind(fakes.signer);
    fakes.signer.sign = async () => {
      throw new Error('KMS throttled');
    };
    await expect(publish('lab-viewer', '1.0.0', { code: pluginCode('same') })).rejects.toThrow(
      'KMS throttled',
    );
    fakes.signer.sign = sign;

    const other = await codeOf(publish('lab-viewer', '1.0.0', { code: pluginCode('different') }));
    const retried = await publish('lab-viewer', '1.0.0', { code: pluginCode('same') });

    expect(other).toBe('VERSION_EXISTS');
    expect(fakes.artifacts.statements.has('lab-viewer@1.0.0')).toBe(true);
    expect(retried.version).toBe('1.0.0');
    expect(await codeOf(publish('lab-viewer', '1.0.0', { code: pluginCode('same') }))).toBe('VERSION_EXISTS');
  });

  it('refuses a signature that does not verify over the artifact bytes, and audits it as a security event', async () => {
    const { service, fakes, publisher, register } = createMarketplaceHarness();
    await register();
    const code = pluginCode();

    const outcome = await codeOf(
      service.publish(
        {
          id: 'lab-viewer' as never,
          version: '1.0.0',
          metadata: { name: 'n', description: 'd', author: 'a' },
          code,
          signature: publisher.sign(`${code} `),
        },
        actor('pub-acme'),
      ),
    );

    expect(outcome).toBe('SIGNATURE_INVALID');
    expect(fakes.catalogue.releases.size).toBe(0);
    expect(fakes.outbox.records.map((record) => record.action)).toContain(
      'security:release-verification-failed',
    );
    expect(
      fakes.outbox.records.find((record) => record.action === 'security:release-verification-failed'),
    ).toMatchObject({ publisherId: 'pub-acme', code: 'SIGNATURE_INVALID' });
  });

  it('refuses a key registered by another publisher', async () => {
    const { publish } = createMarketplaceHarness();
    const shared = publisherKeyPair();
    await publish('lab-viewer', '1.0.0', { key: shared, tenant: 'pub-acme' });

    expect(await codeOf(publish('other-plugin', '1.0.0', { key: shared, tenant: 'pub-evil' }))).toBe(
      'PUBLISHER_KEY_EXISTS',
    );
  });

  it('lets the first publisher own an id: another publisher cannot publish under it', async () => {
    const { publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');

    expect(
      await codeOf(publish('lab-viewer', '1.0.1', { tenant: 'pub-evil', key: publisherKeyPair() })),
    ).toBe('NOT_PLUGIN_OWNER');
  });

  it('refuses a non-owner with NOT_PLUGIN_OWNER before validating, scanning or reading its package', async () => {
    const { service, fakes, publish, register } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    const stranger = publisherKeyPair();
    await register(stranger, 'pub-evil');
    const invalid = {
      id: 'lab-viewer' as never,
      version: '1.0.1',
      metadata: { name: '', permissions: ['read:everything'], dependencies: { lodash: '4.17.15' } },
    };

    const inline = await codeOf(
      service.publish(
        { ...invalid, code: 'not a module', signature: { keyId: stranger.keyId, signature: 'AAAAAAAA' } },
        actor('pub-evil'),
      ),
    );
    const uploaded = await codeOf(
      service.publish(
        { ...invalid, uploadId: 'no-such-upload', signature: stranger.sign('x') } as never,
        actor('pub-evil'),
      ),
    );

    expect(inline).toBe('NOT_PLUGIN_OWNER');
    expect(uploaded).toBe('NOT_PLUGIN_OWNER');
    const publishes = fakes.outbox.records.filter(
      (record) => record.tenantId === 'pub-evil' && record.action === 'marketplace:publish',
    );
    expect(publishes).toEqual([
      expect.objectContaining({
        action: 'marketplace:publish',
        outcome: 'refused',
        code: 'NOT_PLUGIN_OWNER',
      }),
      expect.objectContaining({
        action: 'marketplace:publish',
        outcome: 'refused',
        code: 'NOT_PLUGIN_OWNER',
      }),
    ]);
  });

  it('refuses reserved ids and vulnerable dependencies', async () => {
    const { publish } = createMarketplaceHarness();

    expect(await codeOf(publish('updates', '1.0.0'))).toBe('VALIDATION_FAILED');
    expect(
      await codeOf(
        publish('lab-viewer', '1.0.0', { metadata: { dependencies: [{ name: 'vm2', version: '3.9.0' }] } }),
      ),
    ).toBe('VULNERABLE_DEPENDENCY');
  });

  it('publishes from a presigned upload and refuses an unknown upload id', async () => {
    const { service, fakes, publisher, register } = createMarketplaceHarness();
    await register();
    const code = pluginCode('uploaded');
    const upload = await service.createUpload(
      { sizeBytes: code.length, sha256: 'a'.repeat(64) },
      actor('pub-acme'),
    );
    fakes.uploads.objects.set(`pub-acme/${upload.uploadId}`, Buffer.from(code));
    const request = {
      id: 'lab-viewer' as never,
      version: '1.0.0',
      metadata: { name: 'n', description: 'd', author: 'a' },
      signature: publisher.sign(code),
    };

    const release = await service.publish({ ...request, uploadId: upload.uploadId }, actor('pub-acme'));
    const missing = await codeOf(
      service.publish(
        { ...request, version: '1.0.1', uploadId: '00000000-0000-4000-8000-999999999999' },
        actor('pub-acme'),
      ),
    );

    expect(release.sizeBytes).toBe(code.length);
    expect(missing).toBe('UPLOAD_NOT_FOUND');
  });
});

describe('PluginMarketplaceService: versions and installs', () => {
  it('offers the highest active non-prerelease version as latest, and prereleases only on request', async () => {
    const { service, publish } = createMarketplaceHarness();
    for (const version of ['1.0.0', '1.10.0', '1.2.0', '2.0.0-beta.1']) await publish('lab-viewer', version);

    const stable = await service.listVersions('lab-viewer', { includePrerelease: false });
    const all = await service.listVersions('lab-viewer', { includePrerelease: true });

    expect(stable.items.map((item) => item.version)).toEqual(['1.10.0', '1.2.0', '1.0.0']);
    expect(stable.items.find((item) => item.isLatest)?.version).toBe('1.10.0');
    expect(all.items.find((item) => item.isLatest)?.version).toBe('2.0.0-beta.1');
  });

  it('installs through the tenant installer with the signed statement and counts the download', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');

    const installation = await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));

    expect(installation).toMatchObject({ tenantId: 't-acme', pluginId: 'lab-viewer', version: '1.0.0' });
    const call = fakes.installers.calls[0];
    expect(call?.scope.tenantId).toBe('t-acme');
    expect((call?.detail as { release: { keyId: string } } | undefined)?.release.keyId).toBe(
      fakes.signer.keyId,
    );
    expect((await service.getPlugin('lab-viewer')).downloads).toBe(1);
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'marketplace:install',
      outcome: 'success',
      tenantId: 't-acme',
      pluginId: 'lab-viewer',
    });
  });

  it('refuses to install a tampered artifact and records a security audit event', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();
    const release = await publish('lab-viewer', '1.0.0');
    fakes.artifacts.artifacts.set(release.sha256, Buffer.from(pluginCode('evil')));

    expect(await codeOf(service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme')))).toBe(
      'ARTIFACT_TAMPERED',
    );
    expect(fakes.installers.calls).toHaveLength(0);
    expect(fakes.outbox.records.at(-1)).toMatchObject({ action: 'security:release-verification-failed' });
  });

  it('refuses a statement for another version swapped into place', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await publish('lab-viewer', '1.0.1');
    const other = fakes.artifacts.statements.get('lab-viewer@1.0.1');
    if (other) fakes.artifacts.statements.set('lab-viewer@1.0.0', other);

    expect(await codeOf(service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme')))).toBe(
      'SIGNATURE_INVALID',
    );
  });

  it('never offers nor installs a yanked version, and lets only the owner or an admin yank', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await publish('lab-viewer', '1.1.0');

    const stranger = await codeOf(service.yankVersion('lab-viewer', '1.1.0', actor('pub-evil')));
    await service.yankVersion('lab-viewer', '1.1.0', actor('pub-acme'));

    expect(stranger).toBe('NOT_PLUGIN_OWNER');
    expect((await service.getPlugin('lab-viewer')).latestVersion).toBe('1.0.0');
    expect(await codeOf(service.downloadAndInstall('lab-viewer', '1.1.0', actor('t-acme')))).toBe(
      'VERSION_YANKED',
    );
    await service.yankVersion('lab-viewer', '1.0.0', actor('platform', ['marketplace:admin']));
    expect((await service.searchPlugins(searchAll)).items).toHaveLength(0);
  });

  it('lists installed marketplace plugins with a newer offered version as updates', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
    await publish('lab-viewer', '1.1.0', {
      metadata: { permissions: ['read:patients', 'read:appointments'] },
    });
    await publish('lab-viewer', '2.0.0-rc.1');

    const updates = await service.checkUpdates(actor('t-acme'), { limit: 25 });

    expect(updates.items).toEqual([
      expect.objectContaining({
        pluginId: 'lab-viewer',
        installedVersion: '1.0.0',
        latestVersion: '1.1.0',
        newPermissions: ['read:appointments'],
      }),
    ]);
  });
});

describe('PluginMarketplaceService: revocation', () => {
  it('revokes, disables the version in every tenant that has it, and reports the blast radius', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-globex'));
    fakes.usage.radius.set('lab-viewer@1.0.0', [
      { tenantId: 't-acme', invocations: 7, patientIds: ['p-002', 'p-001'] },
    ]);
    const admin = actor('platform', ['marketplace:admin'], 'operator');

    const report = await service.revokeVersion('lab-viewer', '1.0.0', 'credential exfiltration', admin);
    const radius = await service.blastRadius('lab-viewer', '1.0.0', admin);

    expect(report.release.status).toBe('revoked');
    expect(report.tenants.map((tenant) => tenant.outcome)).toEqual(['disabled', 'disabled']);
    expect(
      fakes.installers.calls.filter((call) => call.action === 'disable').map((call) => call.scope.actorId),
    ).toEqual(['platform:revocation', 'platform:revocation']);
    expect((await fakes.catalogue.getRelease('lab-viewer', '1.0.0'))?.status).toBe('revoked');
    expect(radius.items).toEqual([
      {
        tenantId: 't-acme',
        isInstalled: true,
        installationState: 'disabled',
        invocations: 7,
        patientIds: ['p-001', 'p-002'],
      },
      {
        tenantId: 't-globex',
        isInstalled: true,
        installationState: 'disabled',
        invocations: 0,
        patientIds: [],
      },
    ]);
    expect(await codeOf(service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-initech')))).toBe(
      'VERSION_REVOKED',
    );
    expect(fakes.outbox.records).toContainEqual(
      expect.objectContaining({ action: 'marketplace:revoke', outcome: 'success' }),
    );
  });

  it('refuses revocation and blast radius without marketplace:admin', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');

    expect(await codeOf(service.revokeVersion('lab-viewer', '1.0.0', 'x', actor('pub-acme')))).toBe(
      'FORBIDDEN',
    );
    expect(await codeOf(service.blastRadius('lab-viewer', '1.0.0', actor('pub-acme')))).toBe('FORBIDDEN');
  });
});

describe('PluginMarketplaceService: reviews', () => {
  it('keeps one review per user, replaces it on edit, and keeps the aggregates exact', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-globex'));

    const first = await service.addReview(
      'lab-viewer',
      { stars: 2, title: 'Meh', body: '' },
      actor('t-acme'),
    );
    const edit = await service.addReview(
      'lab-viewer',
      { stars: 5, title: 'Great now', body: 'fixed' },
      actor('t-acme'),
    );
    await service.addReview('lab-viewer', { stars: 3, title: 'Ok', body: '' }, actor('t-globex'));

    expect([first.isNew, edit.isNew]).toEqual([true, false]);
    expect(edit.review.reviewId).toBe(first.review.reviewId);
    const page = await service.getPlugin('lab-viewer');
    expect(page.rating).toEqual({
      count: 2,
      sum: 8,
      average: 4,
      histogram: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 1 },
    });
    expect((await service.listReviews('lab-viewer', { limit: 10 })).items).toHaveLength(2);
  });

  it('lets the author delete their review and answers REVIEW_NOT_FOUND afterwards', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await service.downloadAndInstall('lab-viewer', '1.0.0', actor('t-acme'));
    await service.addReview('lab-viewer', { stars: 4, title: 'Good', body: '' }, actor('t-acme'));

    await service.deleteReview('lab-viewer', actor('t-acme'));

    expect((await service.getPlugin('lab-viewer')).rating.count).toBe(0);
    expect(await codeOf(service.deleteReview('lab-viewer', actor('t-acme')))).toBe('REVIEW_NOT_FOUND');
  });

  it('refuses a review of an unknown plugin', async () => {
    const { service } = createMarketplaceHarness();

    expect(await codeOf(service.addReview('nope', { stars: 4, title: 't', body: '' }, actor('t-acme')))).toBe(
      'PLUGIN_NOT_FOUND',
    );
  });
});

describe('PluginMarketplaceService: search and keys', () => {
  it('finds a published plugin by free text, facets its tags and pages with a cursor', async () => {
    const { service, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await publish('lab-trends', '1.0.0', { metadata: { name: 'Lab Trends', tags: ['labs', 'analytics'] } });
    await publish('scheduler', '1.0.0', {
      metadata: { name: 'Scheduler', description: 'Books slots.', author: 'Other Co', tags: ['scheduling'] },
    });

    const first = await service.searchPlugins({ ...searchAll, query: 'lab', limit: 1 });
    const second = await service.searchPlugins({
      ...searchAll,
      query: 'lab',
      limit: 1,
      cursor: first.nextCursor,
    });

    expect(first.total).toBe(2);
    expect(first.facets.tags).toEqual({ labs: 2, charts: 1, analytics: 1 });
    expect(second.nextCursor).toBeUndefined();
    expect(new Set([first.items[0]?.pluginId, second.items[0]?.pluginId])).toEqual(
      new Set(['lab-viewer', 'lab-trends']),
    );
  });
});

describe('PluginMarketplaceService: records commit with their change', () => {
  it('commits a publish’s record with its listing: a publish stopped before it has a failure record only', async () => {
    const { fakes, publish } = createMarketplaceHarness();
    fakes.catalogue.saveListing = async () => {
      throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
    };

    await expect(publish('lab-viewer', '1.0.0')).rejects.toThrow('throttled');

    expect(
      fakes.outbox.records
        .filter((record) => record.action === 'marketplace:publish')
        .map((record) => [record.outcome, record.code]),
    ).toEqual([['failure', 'INTERNAL_ERROR']]);
  });

  it('leaves no success record for a yank that loses the race to a revocation', async () => {
    const { service, fakes, publish } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    const before = fakes.outbox.records.length;
    // An admin's revocation lands between the yank's read and its conditional write.
    const change = fakes.catalogue.changeReleaseStatus.bind(fakes.catalogue);
    fakes.catalogue.changeReleaseStatus = async (pluginId, version, status, outbox) => {
      const revokedAt = '2030-01-01T00:00:00.000Z';
      await change(pluginId, version, { status: 'revoked', revokedAt, revokedReason: 'leak' }, []);
      return change(pluginId, version, status, outbox);
    };

    const refused = service.yankVersion('lab-viewer', '1.0.0', actor('pub-acme'));

    await expect(refused).rejects.toMatchObject({ code: 'ILLEGAL_RELEASE_TRANSITION' });
    expect(fakes.outbox.records.slice(before).map((record) => [record.action, record.outcome])).toEqual([
      ['marketplace:yank', 'refused'],
    ]);
  });

  it('appends the record of a repeated key registration, which stores nothing', async () => {
    const { fakes, register } = createMarketplaceHarness();

    const first = await register();
    const again = await register();

    expect([first.isNew, again.isNew]).toEqual([true, false]);
    expect(
      fakes.outbox.records
        .filter((record) => record.action === 'marketplace:register-key')
        .map((record) => record.outcome),
    ).toEqual(['success', 'success']);
  });
});

import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../../shared/domain/errors/domain-error.ts';
import {
  actor,
  createMarketplaceHarness,
  metadata,
  pluginCode,
} from '../../../../support/fakes/in-memory-marketplace-harness.ts';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error) => (error instanceof DomainError ? error.code : Promise.reject(error)),
  );

describe('revokePublisherKey', () => {
  it('lets the owner revoke its key once, keeps the first time on a repeat, and audits ids only', async () => {
    const { register, service, publisher, fakes, clock } = createMarketplaceHarness();
    await register();

    const first = await service.revokePublisherKey(publisher.keyId, actor('pub-acme'));
    const again = await service.revokePublisherKey(publisher.keyId, actor('pub-acme'));

    expect(first.revokedAt).toBe(clock.now().toISOString());
    expect(again.revokedAt).toBe(first.revokedAt);
    expect(fakes.outbox.records.at(-1)).toEqual({
      action: 'marketplace:revoke-key',
      actor: 'pub-acme/user-1',
      tenantId: 'pub-acme',
      requestId: 'req-1',
      keyId: publisher.keyId,
      outcome: 'success',
    });
  });

  it("answers PUBLISHER_KEY_NOT_FOUND for another publisher's key, as for an unknown one, and leaves it live", async () => {
    const { register, service, publisher, fakes } = createMarketplaceHarness();
    await register();

    const foreign = await codeOf(service.revokePublisherKey(publisher.keyId, actor('pub-evil')));
    const unknown = await codeOf(service.revokePublisherKey(`pk_${'x'.repeat(32)}`, actor('pub-evil')));

    expect(foreign).toBe('PUBLISHER_KEY_NOT_FOUND');
    expect(unknown).toBe('PUBLISHER_KEY_NOT_FOUND');
    expect(fakes.publisherKeys.keys.get(publisher.keyId)?.revokedAt).toBeUndefined();
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      outcome: 'refused',
      code: 'PUBLISHER_KEY_NOT_FOUND',
    });
  });

  it('lets a platform admin revoke any key', async () => {
    const { register, service, publisher } = createMarketplaceHarness();
    await register();

    const revoked = await service.revokePublisherKey(
      publisher.keyId,
      actor('platform-ops', ['marketplace:admin']),
    );

    expect(revoked.revokedAt).toBeDefined();
  });

  it('refuses publishing with a revoked key with PUBLISHER_KEY_REVOKED and keeps earlier releases', async () => {
    const { publish, service, publisher, fakes } = createMarketplaceHarness();
    await publish('lab-viewer', '1.0.0');
    await service.revokePublisherKey(publisher.keyId, actor('pub-acme'));

    const code = pluginCode('after');

    const outcome = await codeOf(
      service.publish(
        {
          id: 'lab-viewer' as never,
          version: '1.1.0',
          metadata: metadata(),
          code,
          signature: publisher.sign(code),
        },
        actor('pub-acme'),
      ),
    );

    expect(outcome).toBe('PUBLISHER_KEY_REVOKED');
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'security:revoked-publisher-key-used',
      pluginId: 'lab-viewer',
      version: '1.1.0',
    });
    expect((await service.listVersions('lab-viewer', { includePrerelease: false })).items).toEqual([
      expect.objectContaining({ version: '1.0.0', status: 'active' }),
    ]);
  });
});

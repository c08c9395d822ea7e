import { describe, expect, it } from 'vitest';
import { marketplaceRoutes } from '../../functions/marketplace/routes.ts';
import { toProblem } from '../../shared/http/problem.ts';
import {
  createMarketplaceHarness,
  metadata,
  type PublisherKeyPair,
  pluginCode,
  publisherKeyPair,
} from '../support/fakes/in-memory-marketplace-harness.ts';
import { createLifecycleHarness, SAMPLE_CODE, sampleMetadata } from '../support/lifecycle-harness.ts';
import { callRoute } from '../support/route-call.ts';
import { testCursorCodec } from '../support/test-cursors.ts';

/**
 * Attack: register another publisher's public key (it is public: it verifies their artifacts) as
 * your own. Before keys proved possession, the first registration won, which locked the owner out
 * of its own key and let the attacker publish the owner's signed artifacts under its own id.
 */
describe('security: registering someone else’s publisher key', () => {
  const OWNER = 't-owner';
  const ATTACKER = 't-attacker';

  /** The marketplace's HTTP routes over in-memory ports: schema, service and problem mapping. */
  function marketplace() {
    const harness = createMarketplaceHarness();
    const routes = marketplaceRoutes({
      marketplace: harness.service,
      advisories: {} as never,
      cursors: testCursorCodec(),
    });
    async function call(
      routeKey: string,
      tenant: string,
      body?: unknown,
      pathParameters: Record<string, string> = {},
    ): Promise<{ status: number; code?: string; body?: unknown }> {
      try {
        const response = await callRoute(routes, routeKey, {
          requestId: 'req-attack',
          caller: { tenantId: tenant as never, userId: 'someone', scopes: new Set(['marketplace:publish']) },
          body,
          pathParameters,
        });
        return { status: response.status, body: response.body };
      } catch (error) {
        const problem = toProblem(error, 'req-attack');
        return { status: problem.status, code: problem.code };
      }
    }
    const register = (
      key: PublisherKeyPair,
      tenant: string,
      body = key.registration(tenant, harness.clock.now()),
    ) => call('POST /v1/publishers/keys', tenant, body);
    const publish = (
      key: PublisherKeyPair,
      tenant: string,
      id: string,
      version: string,
      code = pluginCode(id),
    ) =>
      call('POST /v1/marketplace/plugins', tenant, {
        id,
        version,
        metadata: metadata(),
        code,
        signature: key.sign(code),
      });
    return { ...harness, call, register, publish };
  }

  it('refuses a public key registered without its private key; the owner then registers and publishes', async () => {
    const { call, register, publish, clock, fakes } = marketplace();
    const owner = publisherKeyPair();
    const attacker = publisherKeyPair();

    const bare = await call('POST /v1/publishers/keys', ATTACKER, { publicKeyPem: owner.publicKeyPem });
    const forged = await register(owner, ATTACKER, {
      publicKeyPem: owner.publicKeyPem,
      proof: attacker.registration(ATTACKER, clock.now()).proof,
    });
    const ownerRegistered = await register(owner, OWNER);
    const ownerPublished = await publish(owner, OWNER, 'owner-plugin', '1.0.0');
    const stolenSignature = await publish(owner, ATTACKER, 'attacker-plugin', '1.0.0');

    expect(bare).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(forged).toMatchObject({ status: 422, code: 'KEY_POSSESSION_UNPROVEN' });
    expect(ownerRegistered.status).toBe(201);
    expect(ownerPublished.status).toBe(201);
    expect(stolenSignature).toMatchObject({ status: 422, code: 'UNTRUSTED_PUBLISHER_KEY' });
    expect(fakes.publisherKeys.keys.get(owner.keyId)?.publisherId).toBe(OWNER);
    expect(fakes.outbox.records).toContainEqual(
      expect.objectContaining({ action: 'security:key-possession-unproven', tenantId: ATTACKER }),
    );
  });

  it('refuses a proof captured from publisher A and replayed by publisher B; A can still use it', async () => {
    const { call, fakes } = marketplace();
    const owner = publisherKeyPair();
    const captured = owner.registration(OWNER, fakes.clock.now());

    const replayed = await call('POST /v1/publishers/keys', ATTACKER, captured);
    const byOwner = await call('POST /v1/publishers/keys', OWNER, captured);
    // Replaying to the owner's own account again only repeats what the owner proved: idempotent.
    const replayedToOwner = await call('POST /v1/publishers/keys', OWNER, captured);

    expect(replayed).toMatchObject({ status: 422, code: 'KEY_POSSESSION_UNPROVEN' });
    expect(byOwner.status).toBe(201);
    expect(replayedToOwner.status).toBe(200);
    expect(fakes.publisherKeys.keys.get(owner.keyId)?.publisherId).toBe(OWNER);
  });

  it('refuses a revoked key for publishing, direct installs and any new registration', async () => {
    const { call, register, publish, fakes } = marketplace();
    const lifecycle = await createLifecycleHarness({ publisherKeys: fakes.publisherKeys });
    const owner = publisherKeyPair();
    // The hospital t-acme signs its in-house plugins with its own key: trusted by default there.
    await register(owner, 't-acme');
    const installBefore = await lifecycle.serviceFor('t-acme').installPlugin({
      id: 'in-house',
      version: '1.0.0',
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature: { keyId: owner.keyId, signature: owner.sign(SAMPLE_CODE).signature },
    });
    const released = await publish(owner, 't-acme', 'in-house-listing', '1.0.0');

    const revoked = await call('DELETE /v1/publishers/keys/{keyId}', 't-acme', undefined, {
      keyId: owner.keyId,
    });
    const publishAfter = await publish(owner, 't-acme', 'in-house-listing', '1.1.0');
    const installAfter = await lifecycle
      .serviceFor('t-acme')
      .installPlugin({
        id: 'in-house-2',
        version: '1.0.0',
        code: SAMPLE_CODE,
        metadata: sampleMetadata(),
        signature: { keyId: owner.keyId, signature: owner.sign(SAMPLE_CODE).signature },
      })
      .then(
        () => 'OK',
        (error) => toProblem(error, 'req').code,
      );
    const reRegisteredByOwner = await register(owner, 't-acme');
    const reRegisteredByOther = await register(owner, ATTACKER);

    expect(installBefore.provenance).toMatchObject({ kind: 'publisher', publisherId: 't-acme' });
    expect(released.status).toBe(201);
    expect(revoked.status).toBe(204);
    expect(publishAfter).toMatchObject({ status: 422, code: 'PUBLISHER_KEY_REVOKED' });
    expect(installAfter).toBe('PUBLISHER_KEY_REVOKED');
    expect(reRegisteredByOwner).toMatchObject({ status: 422, code: 'PUBLISHER_KEY_REVOKED' });
    expect(reRegisteredByOther).toMatchObject({ status: 409, code: 'PUBLISHER_KEY_EXISTS' });
    expect(fakes.publisherKeys.keys.get(owner.keyId)).toMatchObject({ publisherId: 't-acme' });
  });

  it('does not let another publisher revoke the owner’s key, nor learn that it exists', async () => {
    const { call, register, publish } = marketplace();
    const owner = publisherKeyPair();
    await register(owner, OWNER);
    const revoke = (keyId: string) =>
      call('DELETE /v1/publishers/keys/{keyId}', ATTACKER, undefined, { keyId });

    const foreign = await revoke(owner.keyId);
    const unknown = await revoke(publisherKeyPair().keyId);
    const stillLive = await publish(owner, OWNER, 'owner-plugin', '1.0.0');

    expect(foreign).toEqual(unknown);
    expect(foreign).toMatchObject({ status: 404, code: 'PUBLISHER_KEY_NOT_FOUND' });
    expect(stillLive.status).toBe(201);
  });
});

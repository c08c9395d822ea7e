import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../../shared/domain/errors/domain-error.ts';
import {
  KEY_PROOF_MAX_SKEW_MS,
  keyPossessionStatement,
} from '../../../../../shared/domain/publisher-key-proof.ts';
import {
  actor,
  createMarketplaceHarness,
  publisherKeyPair,
} from '../../../../support/fakes/in-memory-marketplace-harness.ts';

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'OK',
    (error) => (error instanceof DomainError ? error.code : Promise.reject(error)),
  );

const shifted = (at: Date, ms: number) => new Date(at.getTime() + ms);

describe('registerPublisherKey: proof of possession', () => {
  it('registers a key whose proof verifies, answering 201-new then idempotent for the same key', async () => {
    const { register, publisher, fakes } = createMarketplaceHarness();

    const first = await register();
    const again = await register();

    expect(first).toMatchObject({ isNew: true, key: { keyId: publisher.keyId, publisherId: 'pub-acme' } });
    expect(again).toEqual({ key: first.key, isNew: false });
    expect(fakes.outbox.records.at(-1)).toMatchObject({
      action: 'marketplace:register-key',
      outcome: 'success',
      keyId: publisher.keyId,
    });
  });

  it('refuses a public key sent with a proof signed by another private key', async () => {
    const { service, fakes, clock } = createMarketplaceHarness();
    const victim = publisherKeyPair();
    const attacker = publisherKeyPair();
    const forged = attacker.registration('pub-evil', clock.now());

    const outcome = await codeOf(
      service.registerPublisherKey({ ...forged, publicKeyPem: victim.publicKeyPem }, actor('pub-evil')),
    );

    expect(outcome).toBe('KEY_POSSESSION_UNPROVEN');
    expect(fakes.publisherKeys.keys.size).toBe(0);
    expect(fakes.outbox.records.map((record) => record.action)).toEqual([
      'marketplace:register-key',
      'security:key-possession-unproven',
    ]);
  });

  it("refuses a proof signed for another publisher id, the caller's own id being the one checked", async () => {
    const { service, clock } = createMarketplaceHarness();
    const key = publisherKeyPair();

    const outcome = await codeOf(
      service.registerPublisherKey(key.registration('pub-acme', clock.now()), actor('pub-evil')),
    );

    expect(outcome).toBe('KEY_POSSESSION_UNPROVEN');
  });

  it('refuses a proof over a statement without the domain-separating purpose line', async () => {
    const { service, clock, publisher } = createMarketplaceHarness();
    const signedAt = clock.now().toISOString();
    const statement = new TextDecoder().decode(
      keyPossessionStatement({ publisherId: 'pub-acme', keyId: publisher.keyId, signedAt }),
    );
    const bare = Buffer.from(statement.slice(statement.indexOf('\n') + 1));
    const signature = sign('sha256', bare, { key: publisher.privateKey, dsaEncoding: 'der' });

    const outcome = await codeOf(
      service.registerPublisherKey(
        {
          publicKeyPem: publisher.publicKeyPem,
          proof: { signedAt, signature: signature.toString('base64') },
        },
        actor('pub-acme'),
      ),
    );

    expect(outcome).toBe('KEY_POSSESSION_UNPROVEN');
  });

  it('refuses a proof signed outside the clock-skew window on either side, and accepts its edges', async () => {
    const { service, clock, publisher } = createMarketplaceHarness();
    const register = (signedAt: Date) =>
      codeOf(service.registerPublisherKey(publisher.registration('pub-acme', signedAt), actor('pub-acme')));

    expect(await register(shifted(clock.now(), -KEY_PROOF_MAX_SKEW_MS - 1))).toBe('KEY_PROOF_EXPIRED');
    expect(await register(shifted(clock.now(), KEY_PROOF_MAX_SKEW_MS + 1))).toBe('KEY_PROOF_EXPIRED');
    expect(await register(shifted(clock.now(), -KEY_PROOF_MAX_SKEW_MS))).toBe('OK');
    expect(await register(shifted(clock.now(), KEY_PROOF_MAX_SKEW_MS))).toBe('OK');
  });

  it('checks the signature before the window: a stale forgery is unproven, not expired', async () => {
    const { service, clock } = createMarketplaceHarness();
    const victim = publisherKeyPair();
    const stale = publisherKeyPair().registration('pub-evil', shifted(clock.now(), -3_600_000));

    const outcome = await codeOf(
      service.registerPublisherKey({ ...stale, publicKeyPem: victim.publicKeyPem }, actor('pub-evil')),
    );

    expect(outcome).toBe('KEY_POSSESSION_UNPROVEN');
  });

  it("refuses another publisher's key with PUBLISHER_KEY_EXISTS, even with a valid proof", async () => {
    const { register, publisher, fakes } = createMarketplaceHarness();
    await register(publisher, 'pub-acme');

    const outcome = await codeOf(register(publisher, 'pub-other'));

    expect(outcome).toBe('PUBLISHER_KEY_EXISTS');
    expect(fakes.publisherKeys.keys.get(publisher.keyId)?.publisherId).toBe('pub-acme');
  });

  it('lets exactly one of two publishers racing for one key own it', async () => {
    const { register, publisher } = createMarketplaceHarness();

    const outcomes = await Promise.all([
      codeOf(register(publisher, 'pub-acme')),
      codeOf(register(publisher, 'pub-other')),
    ]);

    expect(outcomes.sort()).toEqual(['OK', 'PUBLISHER_KEY_EXISTS']);
  });

  it('refuses to register a revoked key again, for its owner and for anyone else', async () => {
    const { register, service, publisher } = createMarketplaceHarness();
    await register();
    await service.revokePublisherKey(publisher.keyId, actor('pub-acme'));

    expect(await codeOf(register(publisher, 'pub-acme'))).toBe('PUBLISHER_KEY_REVOKED');
    expect(await codeOf(register(publisher, 'pub-other'))).toBe('PUBLISHER_KEY_EXISTS');
  });

  it('refuses a key that is not ECDSA P-256 and audits the refusal', async () => {
    const { service, fakes, clock, publisher } = createMarketplaceHarness();
    const { proof } = publisher.registration('pub-acme', clock.now());

    const outcome = await codeOf(
      service.registerPublisherKey(
        { publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----', proof },
        actor('pub-acme'),
      ),
    );

    expect(outcome).toBe('PUBLISHER_KEY_INVALID');
    expect(fakes.outbox.records.at(-1)).toMatchObject({ outcome: 'refused', code: 'PUBLISHER_KEY_INVALID' });
  });
});

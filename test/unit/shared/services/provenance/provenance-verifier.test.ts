import { beforeEach, describe, expect, it } from 'vitest';
import { serializeStatement } from '../../../../../shared/domain/release-statement.ts';
import { sha256Hex } from '../../../../../shared/domain/signatures.ts';
import { DEFAULT_TENANT_POLICY, type TenantPolicy } from '../../../../../shared/domain/tenant-policy.ts';
import {
  type ProvenanceSubject,
  ProvenanceVerifier,
} from '../../../../../shared/services/provenance/provenance-verifier.ts';
import { createTestSigner } from '../../../../support/fakes/in-memory-execution-platform.ts';
import { InMemoryPublisherKeys } from '../../../../support/fakes/in-memory-publisher-keys.ts';
import { createPublisherKeyPair } from '../../../../support/signing.ts';

const CODE = 'export default { async execute() { return 1; } };';
const bytes = new TextEncoder().encode(CODE);
const subject: ProvenanceSubject = {
  pluginId: 'lab-viewer',
  version: '1.0.0',
  sha256: sha256Hex(bytes),
  bytes,
};
const policy = (changes: Partial<TenantPolicy> = {}): TenantPolicy => ({
  ...DEFAULT_TENANT_POLICY,
  minimumSignatureLevel: 'publisher',
  ...changes,
});

function setUp() {
  let nowMs = Date.UTC(2030, 0, 1);
  const clock = {
    now: () => new Date(nowMs),
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
  const signer = createTestSigner('platform-key');
  const publisherKeys = new InMemoryPublisherKeys();
  const publisher = createPublisherKeyPair();
  const verifier = new ProvenanceVerifier({ signer, publisherKeys, clock });
  const statementFor = async (changes: Record<string, unknown> = {}, keyId = signer.keyId) => {
    const payload = serializeStatement({
      pluginId: subject.pluginId,
      version: subject.version,
      sha256: subject.sha256,
      publisher: 'pub-acme',
      permissions: [],
      publishedAt: '2030-01-01T00:00:00.000Z',
      ...changes,
    });
    return { payload, keyId, signature: await signer.sign(Buffer.from(payload)) };
  };
  return { clock, signer, publisherKeys, publisher, verifier, statementFor };
}

describe('ProvenanceVerifier', () => {
  let world: ReturnType<typeof setUp>;
  const tenantTrust = (changes: Partial<TenantPolicy> = {}) =>
    ({ kind: 'tenant', tenantId: 't-acme', policy: policy(changes) }) as const;
  const refusalOf = async (promise: ReturnType<ProvenanceVerifier['verify']>) => {
    const result = await promise;
    return result.isProven ? 'PROVEN' : `${result.refusal.code} ${result.refusal.field}`;
  };

  beforeEach(async () => {
    world = setUp();
    await world.publisherKeys.register({
      keyId: 'pub-key-1',
      publisherId: 'pub-acme',
      publicKeyPem: world.publisher.publicKeyPem,
      createdAt: '2030-01-01T00:00:00.000Z',
    });
  });
  const publisherSignature = () => ({ keyId: 'pub-key-1', signature: world.publisher.sign(bytes) });

  describe('a platform release statement', () => {
    it('proves bytes whose digest the platform-signed statement names for this plugin and version', async () => {
      const statement = await world.statementFor();

      const result = await world.verifier.verify(subject, { kind: 'release', statement });

      expect(result).toEqual({ isProven: true, provenance: { kind: 'platform', keyId: 'platform-key' } });
    });

    it.each([
      ['a missing statement', async () => undefined, 'SIGNATURE_INVALID signature'],
      ['an unknown signing key', () => world.statementFor({}, 'other-key'), 'SIGNATURE_INVALID signature'],
      [
        'a tampered payload',
        async () => {
          const signed = await world.statementFor();
          return { ...signed, payload: signed.payload.replace('pub-acme', 'pub-evil') };
        },
        'SIGNATURE_INVALID signature',
      ],
      ['another version', () => world.statementFor({ version: '2.0.0' }), 'SIGNATURE_INVALID signature'],
      ['another digest', () => world.statementFor({ sha256: 'a'.repeat(64) }), 'SIGNATURE_INVALID code'],
    ])('refuses %s', async (_label, statement, expected) => {
      const claim = { kind: 'release', statement: await statement() } as const;

      expect(await refusalOf(world.verifier.verify(subject, claim))).toBe(expected);
    });

    it('refuses a well-signed statement that is not a release statement', async () => {
      const payload = '{"not":"a statement"}';
      const statement = {
        payload,
        keyId: 'platform-key',
        signature: await world.signer.sign(Buffer.from(payload)),
      };

      expect(await refusalOf(world.verifier.verify(subject, { kind: 'release', statement }))).toBe(
        'SIGNATURE_INVALID signature',
      );
    });

    it('refuses bytes that do not hash to the claimed digest as ARTIFACT_TAMPERED', async () => {
      const statement = await world.statementFor();
      const swapped = { ...subject, bytes: new TextEncoder().encode(`${CODE} `) };

      expect(await refusalOf(world.verifier.verify(swapped, { kind: 'release', statement }))).toBe(
        'ARTIFACT_TAMPERED code',
      );
    });
  });

  describe('a platform signature', () => {
    it('proves bytes the platform key signed, for any trust but a publisher owner', async () => {
      const signature = { keyId: 'platform-key', signature: await world.signer.sign(bytes) };

      const asTenant = await world.verifier.verify(subject, {
        kind: 'signature',
        signature,
        trust: tenantTrust(),
      });
      const asInstalled = await world.verifier.verify(subject, {
        kind: 'signature',
        signature,
        trust: { kind: 'platform' },
      });
      const asOwner = refusalOf(
        world.verifier.verify(subject, {
          kind: 'signature',
          signature,
          trust: { kind: 'owner', publisherId: 'pub-acme' },
        }),
      );

      expect(asTenant).toEqual({
        isProven: true,
        provenance: { kind: 'platform', keyId: 'platform-key', signature },
      });
      expect(asInstalled).toEqual(asTenant);
      expect(await asOwner).toBe('UNTRUSTED_PUBLISHER_KEY signature.keyId');
    });

    it('refuses a platform signature over other bytes, and a non-platform key where only the platform is trusted', async () => {
      const forged = { keyId: 'platform-key', signature: await world.signer.sign(Buffer.from('other')) };

      const bad = refusalOf(
        world.verifier.verify(subject, { kind: 'signature', signature: forged, trust: tenantTrust() }),
      );
      const publisherKey = refusalOf(
        world.verifier.verify(subject, {
          kind: 'signature',
          signature: publisherSignature(),
          trust: { kind: 'platform' },
        }),
      );

      expect(await bad).toBe('SIGNATURE_INVALID signature');
      expect(await publisherKey).toBe('SIGNATURE_INVALID signature');
    });
  });

  describe('a publisher signature', () => {
    it('proves bytes signed by a key the tenant trusts, its own key, or the owning publisher’s key', async () => {
      const signature = publisherSignature();
      const claim = (trust: Parameters<ProvenanceVerifier['checkPublisherKey']>[1]) =>
        ({ kind: 'signature', signature, trust }) as const;

      const listed = await world.verifier.verify(
        subject,
        claim(tenantTrust({ trustedPublisherKeyIds: ['pub-key-1'] })),
      );
      const ownKey = await world.verifier.verify(
        subject,
        claim({ kind: 'tenant', tenantId: 'pub-acme', policy: policy() }),
      );
      const owner = await world.verifier.verify(subject, claim({ kind: 'owner', publisherId: 'pub-acme' }));

      const expected = {
        isProven: true,
        provenance: { kind: 'publisher', signature, publisherId: 'pub-acme' },
      };
      expect(listed).toEqual(expected);
      expect(ownKey).toEqual(expected);
      expect(owner).toEqual(expected);
    });

    it('refuses a missing signature with SIGNATURE_REQUIRED', async () => {
      expect(
        await refusalOf(
          world.verifier.verify(subject, { kind: 'signature', signature: undefined, trust: tenantTrust() }),
        ),
      ).toBe('SIGNATURE_REQUIRED signature');
    });

    it('refuses publisher signatures where the tenant policy admits platform signatures only', async () => {
      const trust = tenantTrust({ minimumSignatureLevel: 'platform', trustedPublisherKeyIds: ['pub-key-1'] });

      expect(
        await refusalOf(
          world.verifier.verify(subject, { kind: 'signature', signature: publisherSignature(), trust }),
        ),
      ).toBe('POLICY_VIOLATION signature');
    });

    it.each([
      ['an unknown key', 'other-key', tenantTrust({ trustedPublisherKeyIds: ['other-key'] })],
      ['a key the tenant does not trust', 'pub-key-1', tenantTrust()],
      ['another publisher’s key', 'pub-key-1', { kind: 'owner', publisherId: 'pub-evil' } as const],
    ])('refuses %s with UNTRUSTED_PUBLISHER_KEY', async (_label, keyId, trust) => {
      const signature = { ...publisherSignature(), keyId };

      expect(await refusalOf(world.verifier.verify(subject, { kind: 'signature', signature, trust }))).toBe(
        'UNTRUSTED_PUBLISHER_KEY signature.keyId',
      );
    });

    it('refuses a revoked key with PUBLISHER_KEY_REVOKED, but only to a caller that trusts it', async () => {
      await world.publisherKeys.revoke('pub-key-1', { revokedAt: '2030-01-01T00:00:00.000Z' });
      const claim = (trust: Parameters<typeof tenantTrust>[0]) =>
        ({ kind: 'signature', signature: publisherSignature(), trust: tenantTrust(trust) }) as const;

      const trusting = refusalOf(
        world.verifier.verify(subject, claim({ trustedPublisherKeyIds: ['pub-key-1'] })),
      );
      const stranger = refusalOf(world.verifier.verify(subject, claim({})));

      expect(await trusting).toBe('PUBLISHER_KEY_REVOKED signature.keyId');
      expect(await stranger).toBe('UNTRUSTED_PUBLISHER_KEY signature.keyId');
    });

    it('refuses a trusted key’s signature over other bytes with SIGNATURE_INVALID', async () => {
      const signature = { keyId: 'pub-key-1', signature: world.publisher.sign('other bytes') };

      const asTenant = refusalOf(
        world.verifier.verify(subject, {
          kind: 'signature',
          signature,
          trust: tenantTrust({ trustedPublisherKeyIds: ['pub-key-1'] }),
        }),
      );
      const asOwner = refusalOf(
        world.verifier.verify(subject, {
          kind: 'signature',
          signature,
          trust: { kind: 'owner', publisherId: 'pub-acme' },
        }),
      );

      expect(await asTenant).toBe('SIGNATURE_INVALID signature');
      expect(await asOwner).toBe('SIGNATURE_INVALID signature.signature');
    });
  });

  describe('prove', () => {
    it('answers the provenance to record, or throws the refusal as a domain error', async () => {
      const statement = await world.statementFor();

      const provenance = await world.verifier.prove(subject, { kind: 'release', statement });
      const refused = world.verifier.prove(subject, { kind: 'release', statement: undefined });

      expect(provenance).toEqual({ kind: 'platform', keyId: 'platform-key' });
      await expect(refused).rejects.toMatchObject({ code: 'SIGNATURE_INVALID', field: 'signature' });
    });
  });

  describe('the key cache', () => {
    const ownerCheck = (maxAgeMs?: number) =>
      world.verifier.checkPublisherKey(
        'pub-key-1',
        { kind: 'owner', publisherId: 'pub-acme' },
        { publisherKeyMaxAgeMs: maxAgeMs },
      );

    it('sees a revocation within a minute when a run accepts a cached key record', async () => {
      expect((await ownerCheck(60_000)).refusal).toBeUndefined();
      await world.publisherKeys.revoke('pub-key-1', { revokedAt: '2030-01-01T00:00:30.000Z' });

      world.clock.advance(59_999);
      const withinTheMinute = await ownerCheck(60_000);
      world.clock.advance(1);
      const afterTheMinute = await ownerCheck(60_000);

      expect(withinTheMinute.refusal).toBeUndefined();
      expect(afterTheMinute.refusal?.code).toBe('PUBLISHER_KEY_REVOKED');
    });

    it('never keeps a record longer than a minute, whatever a caller asks for', async () => {
      await ownerCheck(60_000);
      await world.publisherKeys.revoke('pub-key-1', { revokedAt: '2030-01-01T00:00:30.000Z' });

      world.clock.advance(60_000);

      expect((await ownerCheck(3_600_000)).refusal?.code).toBe('PUBLISHER_KEY_REVOKED');
    });

    it('reads the key through for admissions, which ask for no cached record', async () => {
      await ownerCheck(60_000);
      await world.publisherKeys.revoke('pub-key-1', { revokedAt: '2030-01-01T00:00:00.000Z' });

      expect((await ownerCheck()).refusal?.code).toBe('PUBLISHER_KEY_REVOKED');
    });

    it('fetches the platform public key once per key id, and again after a failed fetch', async () => {
      const statement = await world.statementFor();
      let fetches = 0;
      const original = world.signer.publicKeyPem;
      world.signer.publicKeyPem = async () => {
        fetches += 1;
        if (fetches === 1) throw new Error('KMS unavailable');
        return original();
      };

      const first = world.verifier.verify(subject, { kind: 'release', statement });
      await expect(first).rejects.toThrow('KMS unavailable');
      await world.verifier.verify(subject, { kind: 'release', statement });
      await world.verifier.verify(subject, { kind: 'release', statement });

      expect(fetches).toBe(2);
    });
  });
});

import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { z } from 'zod';
import type { EhrSigningAlgorithm } from '../domain/ehr-connection.ts';
import type { TenantId } from '../domain/identifiers.ts';
import type { ClientAssertionClaims, EhrSigningKeys, PublicJwk } from '../ports/ehr-signing-keys.ts';

/**
 * Where a tenant's key set is kept, as one opaque string: a Secrets Manager secret, or a file.
 * The store knows nothing of keys; this module knows nothing of storage.
 */
export interface EhrKeySetStore {
  /** The stored set, or undefined when the tenant has none. */
  read(tenantId: TenantId): Promise<string | undefined>;
  /** Creates the set if none exists; false when one does (a concurrent create won the race). */
  create(tenantId: TenantId, value: string): Promise<boolean>;
  /** Replaces an existing set (a key for another algorithm was added). */
  replace(tenantId: TenantId, value: string): Promise<void>;
}

/** The members of each key type that are public; everything else (d, p, q, dp, dq, qi) stays. */
const PUBLIC_MEMBERS = {
  EC: ['kty', 'crv', 'x', 'y'],
  RSA: ['kty', 'n', 'e'],
} as const;

const PrivateJwkSchema = z
  .object({
    kid: z.string().min(1),
    alg: z.enum(['ES384', 'RS384']),
    use: z.literal('sig'),
    kty: z.enum(['EC', 'RSA']),
    d: z.string().min(1),
  })
  .catchall(z.string());
type PrivateJwk = z.infer<typeof PrivateJwkSchema>;

const KeySetSchema = z.object({ version: z.literal(1), keys: z.array(PrivateJwkSchema).max(10) });
type KeySet = z.infer<typeof KeySetSchema>;

/** Only the public members, named one by one: a private member can never slip through. */
export function publicJwkOf(jwk: PrivateJwk): PublicJwk {
  const members: Record<string, string> = { kid: jwk.kid, alg: jwk.alg, use: 'sig' };
  for (const name of PUBLIC_MEMBERS[jwk.kty]) {
    const value = jwk[name];
    if (typeof value === 'string') members[name] = value;
  }
  return members;
}

/** A new key pair for `algorithm`, as a private JWK whose `kid` is its RFC 7638 thumbprint. */
async function generatePrivateJwk(algorithm: EhrSigningAlgorithm): Promise<PrivateJwk> {
  const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const jwk: JWK = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return PrivateJwkSchema.parse({ ...jwk, kid, alg: algorithm, use: 'sig' });
}

/**
 * The tenant's signing keys over any store: generated with jose, kid by thumbprint, one key per
 * algorithm, signed with `SignJWT`. Imported keys are cached per tenant for the instance's life
 * (a key is never changed in place, only added), so a warm instance signs without a store read.
 */
export class JoseEhrSigningKeys implements EhrSigningKeys {
  private readonly store: EhrKeySetStore;
  private readonly sets = new Map<TenantId, KeySet>();
  private readonly imported = new Map<string, Awaited<ReturnType<typeof importJWK>>>();

  constructor(store: EhrKeySetStore) {
    this.store = store;
  }

  async ensure(tenantId: TenantId, algorithm: EhrSigningAlgorithm): Promise<string> {
    const cached = this.sets.get(tenantId)?.keys.find((key) => key.alg === algorithm);
    if (cached) return cached.kid;
    const stored = await this.load(tenantId);
    const existing = stored?.keys.find((key) => key.alg === algorithm);
    if (existing) return existing.kid;
    const key = await generatePrivateJwk(algorithm);
    if (stored === undefined) {
      const isCreated = await this.store.create(tenantId, serialise({ version: 1, keys: [key] }));
      // Lost the race to a concurrent first save: use the winner's key, not ours.
      if (!isCreated) return this.ensureFromStore(tenantId, algorithm);
      this.sets.set(tenantId, { version: 1, keys: [key] });
      return key.kid;
    }
    const next: KeySet = { version: 1, keys: [...stored.keys, key] };
    await this.store.replace(tenantId, serialise(next));
    this.sets.set(tenantId, next);
    return key.kid;
  }

  async publicKeys(tenantId: TenantId): Promise<PublicJwk[]> {
    const set = this.sets.get(tenantId) ?? (await this.load(tenantId));
    return (set?.keys ?? []).map(publicJwkOf);
  }

  async signClientAssertion(
    tenantId: TenantId,
    keyId: string,
    claims: ClientAssertionClaims,
  ): Promise<string> {
    const jwk = await this.keyOf(tenantId, keyId);
    const cacheKey = `${tenantId}/${keyId}`;
    let key = this.imported.get(cacheKey);
    if (!key) {
      key = await importJWK(jwk, jwk.alg);
      this.imported.set(cacheKey, key);
    }
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: jwk.alg, kid: jwk.kid, typ: 'JWT' })
      .sign(key);
  }

  private async keyOf(tenantId: TenantId, keyId: string): Promise<PrivateJwk> {
    const find = (set: KeySet | undefined) => set?.keys.find((key) => key.kid === keyId);
    const key = find(this.sets.get(tenantId)) ?? find(await this.load(tenantId));
    // Ids only: the key id is public (it is in the JWKS).
    if (!key) throw new Error(`The tenant has no signing key ${keyId}`);
    return key;
  }

  private async ensureFromStore(tenantId: TenantId, algorithm: EhrSigningAlgorithm): Promise<string> {
    const winner = (await this.load(tenantId))?.keys.find((key) => key.alg === algorithm);
    if (winner) return winner.kid;
    return this.ensure(tenantId, algorithm);
  }

  private async load(tenantId: TenantId): Promise<KeySet | undefined> {
    const value = await this.store.read(tenantId);
    if (value === undefined) return undefined;
    const set = KeySetSchema.parse(JSON.parse(value));
    this.sets.set(tenantId, set);
    return set;
  }
}

const serialise = (set: KeySet): string => JSON.stringify(set);

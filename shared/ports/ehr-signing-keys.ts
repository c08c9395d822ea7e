import type { EhrSigningAlgorithm } from '../domain/ehr-connection.ts';
import type { TenantId } from '../domain/identifiers.ts';

/** A public JWK as published at the tenant's JWKS URL (`kid`, `alg`, `use: 'sig'`, key members). */
export type PublicJwk = Readonly<Record<string, string>>;

/** The claims of a SMART Backend Services client assertion (RFC 7523). */
export interface ClientAssertionClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly jti: string;
  /** Epoch seconds; SMART allows at most five minutes ahead. */
  readonly exp: number;
}

/**
 * The key pairs the platform signs a tenant's client assertions with. The private halves never
 * leave the store (Secrets Manager in AWS, tagged with the tenant; a file under .data/keys
 * locally) and no method returns them.
 */
export interface EhrSigningKeys {
  /** The tenant's current key for `algorithm`, created on first use; answers its `kid`. */
  ensure(tenantId: TenantId, algorithm: EhrSigningAlgorithm): Promise<string>;
  /** Every public key of the tenant (the current ones and any kept for rotation). */
  publicKeys(tenantId: TenantId): Promise<PublicJwk[]>;
  /** A signed JWT (`typ: JWT`, header `kid`) over the claims, with the tenant's key `keyId`. */
  signClientAssertion(tenantId: TenantId, keyId: string, claims: ClientAssertionClaims): Promise<string>;
}

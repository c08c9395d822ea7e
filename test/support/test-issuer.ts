import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';

export const TEST_ISSUER = 'https://issuer.example.test/';
export const TEST_AUDIENCE = 'gradiant-plugins';

/** An ES256 issuer for tests: its JWKS goes into the function config, its tokens into requests. */
export async function createTestIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test', alg: 'ES256' }] };
  /** `null` leaves a claim out, as a careless or hostile issuer might. `issuedAt` is epoch seconds. */
  const sign = (
    claims: Record<string, unknown>,
    options: { expiresIn?: string | number | null; issuedAt?: number | null; issuer?: string } = {},
  ) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setIssuer(options.issuer ?? TEST_ISSUER)
      .setAudience(TEST_AUDIENCE);
    if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt);
    if (options.expiresIn !== null) jwt.setExpirationTime(options.expiresIn ?? '5m');
    return jwt.sign(privateKey);
  };
  return {
    jwks,
    env: { JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE, JWT_JWKS: JSON.stringify(jwks) },
    token: (tenantId: string, scopes: readonly string[], subject = 'user-1') =>
      sign({ tenant_id: tenantId, scope: scopes.join(' '), sub: subject }),
    sign,
  };
}

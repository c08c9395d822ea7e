import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';

export const TEST_ISSUER = 'https://id.gradiant-tests.net/';
export const TEST_AUDIENCE = 'gradiant-plugins';
/** Where a deployed function would fetch the test issuer's keys; tests stub `fetch` with `fetchJwks`. */
export const TEST_JWKS_URL = 'https://id.gradiant-tests.net/.well-known/jwks.json';

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
    /** Local-platform settings: the keys inline. */
    env: { JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE, JWT_JWKS: JSON.stringify(jwks) },
    /** Deployed settings: the keys behind TEST_JWKS_URL (an AWS-mode config refuses inline keys). */
    deployedEnv: { JWT_ISSUER: TEST_ISSUER, JWT_AUDIENCE: TEST_AUDIENCE, JWT_JWKS_URL: TEST_JWKS_URL },
    /** A `fetch` that serves this issuer's JWKS at TEST_JWKS_URL and refuses anything else. */
    fetchJwks: async (input: string | URL | Request): Promise<Response> => {
      const url = input instanceof Request ? input.url : String(input);
      if (url !== TEST_JWKS_URL) throw new Error(`unexpected fetch of ${url}`);
      return Response.json(jwks);
    },
    token: (tenantId: string, scopes: readonly string[], subject = 'user-1') =>
      sign({ tenant_id: tenantId, scope: scopes.join(' '), sub: subject }),
    sign,
  };
}

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JSONWebKeySet, type JWK, SignJWT } from 'jose';

export const LOCAL_ISSUER = 'urn:gradiant:local-issuer';
export const LOCAL_AUDIENCE = 'gradiant-plugins';
const TOKEN_LIFETIME_SECONDS = 3600;

export interface LocalIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
  issue(claims: { tenantId: string; subject: string; scopes: readonly string[] }): Promise<{
    access_token: string;
    token_type: 'Bearer';
    expires_in: number;
  }>;
}

/**
 * The local stand-in for the deployed identity provider: an ES256 key kept under `.data/keys`, so
 * tokens survive restarts. Handlers verify its tokens with the same verifier as in AWS; only the
 * JWKS source differs (inline instead of the provider's URL).
 */
export async function loadLocalIssuer(keysDirectory: string): Promise<LocalIssuer> {
  const keyFile = join(keysDirectory, 'local-issuer.jwk.json');
  let privateJwk: JWK;
  if (existsSync(keyFile)) {
    privateJwk = JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  } else {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    privateJwk = { ...(await exportJWK(privateKey)), kid: `local-${Date.now().toString(36)}`, alg: 'ES256' };
    mkdirSync(keysDirectory, { recursive: true });
    writeFileSync(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const signingKey = await importJWK(privateJwk, 'ES256');

  return {
    issuer: LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    jwks: { keys: [{ ...publicJwk, use: 'sig' }] },
    async issue({ tenantId, subject, scopes }) {
      const accessToken = await new SignJWT({ tenant_id: tenantId, scope: scopes.join(' ') })
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? 'local', typ: 'JWT' })
        .setSubject(subject)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
        .sign(signingKey);
      return { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS };
    },
  };
}

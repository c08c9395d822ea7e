import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export type SigningAlg = 'ES384' | 'RS384';

export interface TestSigningKey {
  readonly alg: SigningAlg;
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  readonly publicJwk: JWK;
}

export async function generateSigningKey(alg: SigningAlg): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** A tiny loopback JWKS server, as the platform's public jwks.json route is in local mode. */
export async function serveJwks(keys: () => readonly TestSigningKey[]) {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: keys().map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function signClientAssertion(
  key: TestSigningKey,
  claims: { clientId: string; audience: string; jti?: string; expiresInSeconds?: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setJti(claims.jti ?? randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresInSeconds ?? 240))
    .sign(key.privateKey);
}

export async function requestToken(tokenEndpoint: string, assertion: string, scope: string) {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Registers a client on a stand-in base, gets a token, and answers a fetch that sends it. */
export async function connectClient(
  base: {
    tokenEndpoint: string;
    baseUrl: string;
    registerClient(registration: { clientId: string; jwksUrl: string; scopes: string[] }): void;
  },
  options: { key: TestSigningKey; jwksUrl: string; scopes: string[]; clientId?: string },
) {
  const clientId = options.clientId ?? `client-${randomUUID()}`;
  base.registerClient({ clientId, jwksUrl: options.jwksUrl, scopes: options.scopes });
  const assertion = await signClientAssertion(options.key, { clientId, audience: base.tokenEndpoint });
  const token = await requestToken(base.tokenEndpoint, assertion, options.scopes.join(' '));
  if (token.status !== 200) throw new Error(`token request failed with ${token.status}`);
  return (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(path.startsWith('http') ? path : `${base.baseUrl}/${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token.body.access_token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
}

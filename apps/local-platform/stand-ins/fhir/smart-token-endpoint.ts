import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { grantScopes } from './smart-scopes.ts';

export interface ClientRegistration {
  readonly clientId: string;
  /** Loopback http is allowed: the platform's own JWKS route in local mode. */
  readonly jwksUrl: string;
  readonly scopes: readonly string[];
}

export interface IssuedToken {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
// Clock skew tolerated on `exp` and `nbf`, as real authorization servers do.
const CLOCK_TOLERANCE_SECONDS = 5;

const oauthError = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description },
});

/**
 * The SMART Backend Services token endpoint of one base (RFC 7523 client assertion, RFC 6749
 * client_credentials). Clients, issued tokens and seen `jti`s live in this instance only.
 */
export class SmartTokenEndpoint {
  readonly #clients = new Map<
    string,
    { registration: ClientRegistration; keys: ReturnType<typeof createRemoteJWKSet> }
  >();
  readonly #tokens = new Map<string, IssuedToken>();
  readonly #seenJti = new Map<string, number>();
  readonly url: string;
  tokenLifetimeSeconds = 300;
  tokenRequests = 0;

  constructor(url: string) {
    this.url = url;
  }

  registerClient(registration: ClientRegistration): void {
    this.#clients.set(registration.clientId, {
      registration: { ...registration, scopes: [...registration.scopes] },
      keys: createRemoteJWKSet(new URL(registration.jwksUrl), { cooldownDuration: 0, cacheMaxAge: 0 }),
    });
  }

  revokeTokens(): void {
    this.#tokens.clear();
  }

  /** The live token behind an `Authorization: Bearer` value, if any. */
  introspect(accessToken: string, now = Date.now()): IssuedToken | undefined {
    const token = this.#tokens.get(accessToken);
    if (token && token.expiresAt <= now) this.#tokens.delete(accessToken);
    return token && token.expiresAt > now ? token : undefined;
  }

  async exchange(form: URLSearchParams): Promise<TokenAnswer> {
    this.tokenRequests += 1;
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    const assertion = form.get('client_assertion');
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !assertion) {
      return oauthError(400, 'invalid_request', 'a jwt-bearer client_assertion is required');
    }
    let clientId: string | undefined;
    try {
      clientId = decodeJwt(assertion).iss;
    } catch {
      return oauthError(401, 'invalid_client', 'the client assertion is not a JWT');
    }
    const client = clientId ? this.#clients.get(clientId) : undefined;
    if (!clientId || !client) return oauthError(401, 'invalid_client', 'unknown client');

    let claims: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload: claims } = await jwtVerify(assertion, client.keys, {
        algorithms: ['ES384', 'RS384'],
        issuer: clientId,
        subject: clientId,
        audience: this.url,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      const isClaimProblem =
        error instanceof joseErrors.JWTClaimValidationFailed || error instanceof joseErrors.JWTExpired;
      return isClaimProblem
        ? oauthError(400, 'invalid_grant', 'the client assertion claims are not acceptable')
        : oauthError(401, 'invalid_client', 'the client assertion signature does not verify');
    }
    const nowSeconds = Math.floor(Date.now() / 1000);
    const exp = claims.exp as number;
    if (exp > nowSeconds + MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS) {
      return oauthError(400, 'invalid_grant', 'the client assertion expires more than 5 minutes ahead');
    }
    this.#forgetExpiredJti(nowSeconds);
    const jtiKey = `${clientId}\u0000${claims.jti}`;
    if (this.#seenJti.has(jtiKey))
      return oauthError(400, 'invalid_grant', 'the client assertion jti was used before');
    this.#seenJti.set(jtiKey, exp);

    const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const scopes = grantScopes(requested, client.registration.scopes);
    if (scopes.length === 0)
      return oauthError(400, 'invalid_scope', 'none of the requested scopes is granted');
    const accessToken = randomBytes(32).toString('base64url');
    this.#tokens.set(accessToken, {
      clientId,
      scopes,
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000,
    });
    return {
      status: 200,
      body: {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: this.tokenLifetimeSeconds,
        scope: scopes.join(' '),
      },
    };
  }

  #forgetExpiredJti(nowSeconds: number): void {
    for (const [key, exp] of this.#seenJti) {
      if (exp + CLOCK_TOLERANCE_SECONDS < nowSeconds) this.#seenJti.delete(key);
    }
  }
}

import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { unauthenticated } from '../domain/errors/auth-errors.ts';
import { AccessTokenClaimsSchema, type Caller } from './caller.ts';

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** The issuer's JWKS endpoint (deployed). */
  readonly jwksUrl?: string | undefined;
  /** The issuer's public keys inline (the local issuer, whose keys live on disk). */
  readonly jwks?: JSONWebKeySet | undefined;
}

export type TokenVerifier = (authorizationHeader: string | undefined) => Promise<Caller>;

const ALLOWED_ALGORITHMS = ['ES256', 'RS256'];

/**
 * How far the issuer's clock may run ahead of or behind this function's, in seconds, applied to
 * `exp`, `nbf` and `iat`. Lambda and the identity provider both sync to NTP (Amazon Time Sync), so
 * a few seconds covers the skew that remains; a larger value would stretch every token's life.
 */
export const CLOCK_SKEW_TOLERANCE_SECONDS = 5;

/**
 * The oldest token accepted, counted from its `iat`, whatever its `exp` says: a token minted with
 * a far-off expiry (a misconfigured issuer or client, a token copied long ago) stops working after a day.
 * Cognito access tokens live one hour by default and 24 h at most; the local issuer's one hour.
 */
export const MAX_TOKEN_AGE_SECONDS = 24 * 3600;

/**
 * Without `exp` a stolen token would work forever, and without `iat` its age is unknown; jose
 * accepts either missing unless told otherwise. `iat` in the future (beyond the skew) is refused.
 */
const REQUIRED_CLAIMS = ['exp', 'iat'];

/**
 * One verifier for API Gateway and the local platform. In AWS the HTTP API's JWT authorizer has
 * already turned away bad tokens; this runs again so that tenant and scopes come from claims this
 * code verified itself, never from an upstream we merely trust.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.jwks
    ? createLocalJWKSet(options.jwks)
    : options.jwksUrl
      ? createRemoteJWKSet(new URL(options.jwksUrl))
      : undefined;
  if (!keys) throw new Error('A token verifier needs a JWKS URL or inline JWKS');

  return async (authorizationHeader) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorizationHeader?.trim() ?? '');
    if (!match?.[1]) throw unauthenticated();
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: CLOCK_SKEW_TOLERANCE_SECONDS,
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (error) {
      throw unauthenticated('The bearer token is invalid or expired.', error);
    }
    const claims = AccessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated('The bearer token lacks a valid tenant_id or sub claim.');
    return {
      tenantId: claims.data.tenant_id,
      userId: claims.data.sub,
      scopes: new Set(claims.data.scope.split(' ').filter(Boolean)),
    };
  };
}

import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { UnauthenticatedError } from '../domain/errors.ts';
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
    if (!match?.[1]) throw new UnauthenticatedError();
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1], keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: 5,
      }));
    } catch (error) {
      throw new UnauthenticatedError('The bearer token is invalid or expired.', error);
    }
    const claims = AccessTokenClaimsSchema.safeParse(payload);
    if (!claims.success)
      throw new UnauthenticatedError('The bearer token lacks a valid tenant_id or sub claim.');
    return {
      tenantId: claims.data.tenant_id,
      userId: claims.data.sub,
      scopes: new Set(claims.data.scope.split(' ').filter(Boolean)),
    };
  };
}

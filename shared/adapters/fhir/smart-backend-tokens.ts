import { z } from 'zod';
import type { EhrConnection } from '../../domain/ehr-connection.ts';
import { ehrRefused, ehrUnavailable } from '../../domain/errors/ehr-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EhrSigningKeys } from '../../ports/ehr-signing-keys.ts';
import { type IdGenerator, uuidGenerator } from '../../ports/id-generator.ts';
import type { FhirHttpClient } from './fhir-http-client.ts';
import { ehrErrorForStatus, isSuccessStatus } from './fhir-status-errors.ts';

/** SMART allows a client assertion to live at most five minutes. */
const ASSERTION_LIFETIME_SECONDS = 300;
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
});

/** One access token; the value never goes into a log, an error or a report. */
export interface SmartAccessToken {
  readonly accessToken: string;
  readonly expiresInSeconds: number;
  readonly grantedScopes: readonly string[];
}

export interface SmartTokenCounters {
  /** Calls answered from the cache. */
  readonly hits: number;
  /** Calls that waited on a token request another call had started (single flight). */
  readonly joined: number;
  /** Token requests actually sent to the EHR. */
  readonly requests: number;
}

export interface SmartBackendTokensDependencies {
  readonly http: FhirHttpClient;
  readonly signingKeys: EhrSigningKeys;
  readonly clock: Clock;
  /** The assertion's `jti`; random UUIDs unless a test fixes them. */
  readonly ids?: IdGenerator | undefined;
}

interface CachedToken {
  readonly connectionVersion: number;
  readonly accessToken: string;
  readonly refreshAt: number;
}

/**
 * Seconds before expiry at which a cached token is no longer handed out: a minute, or a tenth of
 * the lifetime for tokens shorter than ten minutes, so no call starts with a token that dies in
 * flight.
 */
export const refreshMarginSeconds = (expiresIn: number) =>
  expiresIn >= 600 ? 60 : Math.ceil(expiresIn / 10);

/**
 * SMART Backend Services access tokens (client credentials with a `private_key_jwt` assertion),
 * one cache entry per tenant, bound to the connection version it was issued for. Concurrent
 * calls for a tenant without a token share one token request (single flight): 50 invocations at
 * once cost the EHR one request. A 401 from the EHR invalidates the token that got it.
 */
export class SmartBackendTokens {
  private readonly cache = new Map<TenantId, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private counters = { hits: 0, joined: 0, requests: 0 };

  private readonly deps: SmartBackendTokensDependencies;

  constructor(deps: SmartBackendTokensDependencies) {
    this.deps = deps;
  }

  /** A token for the tenant's connection; the first call's deadline bounds a shared request. */
  async accessToken(connection: EhrConnection, deadlineAt: number): Promise<string> {
    const tenantId = connection.tenantId as TenantId;
    const cached = this.cache.get(tenantId);
    if (
      cached &&
      cached.connectionVersion === connection.version &&
      cached.refreshAt > this.deps.clock.now().getTime()
    ) {
      this.counters.hits += 1;
      return cached.accessToken;
    }
    const flightKey = `${tenantId}#${connection.version}`;
    const pending = this.inFlight.get(flightKey);
    if (pending) {
      this.counters.joined += 1;
      return pending;
    }
    const request = this.requestToken(connection, deadlineAt)
      .then((token) => {
        const refreshAt =
          this.deps.clock.now().getTime() +
          (token.expiresInSeconds - refreshMarginSeconds(token.expiresInSeconds)) * 1000;
        this.cache.set(tenantId, {
          connectionVersion: connection.version,
          accessToken: token.accessToken,
          refreshAt,
        });
        return token.accessToken;
      })
      .finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, request);
    return request;
  }

  /** Drops the cached token only if it is the one refused, so a newer token survives a late 401. */
  invalidate(tenantId: TenantId, refusedToken: string): void {
    if (this.cache.get(tenantId)?.accessToken === refusedToken) this.cache.delete(tenantId);
  }

  counts(): SmartTokenCounters {
    return { ...this.counters };
  }

  /** One fresh token, never cached: what the connection test asks for. */
  async requestToken(connection: EhrConnection, deadlineAt: number): Promise<SmartAccessToken> {
    this.counters.requests += 1;
    const tokenEndpoint = connection.resolvedTokenEndpoint;
    const nowSeconds = Math.floor(this.deps.clock.now().getTime() / 1000);
    const assertion = await this.deps.signingKeys.signClientAssertion(
      connection.tenantId as TenantId,
      connection.keyId,
      {
        iss: connection.clientId,
        sub: connection.clientId,
        aud: tokenEndpoint,
        jti: (this.deps.ids ?? uuidGenerator).next(),
        exp: nowSeconds + ASSERTION_LIFETIME_SECONDS,
      },
    );
    const response = await this.deps.http.send(
      {
        method: 'POST',
        url: tokenEndpoint,
        headers: { accept: 'application/json' },
        form: {
          grant_type: 'client_credentials',
          scope: connection.scopes.join(' '),
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: assertion,
        },
      },
      deadlineAt,
    );
    // An OAuth error body (`error_description`) may echo the request: only the status is kept.
    // 400 is how OAuth says invalid_client or invalid_scope: the credentials were refused.
    if ([400, 401, 403].includes(response.status)) throw ehrRefused(response.status);
    if (!isSuccessStatus(response.status)) throw ehrErrorForStatus(response, 'token');
    const parsed = TokenResponseSchema.safeParse(response.body);
    if (!parsed.success) throw ehrUnavailable('invalid token response');
    return {
      accessToken: parsed.data.access_token,
      expiresInSeconds: parsed.data.expires_in,
      grantedScopes: parsed.data.scope?.split(' ').filter(Boolean) ?? [],
    };
  }
}

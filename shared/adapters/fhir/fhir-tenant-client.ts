import type { EhrConnection } from '../../domain/ehr-connection.ts';
import { ehrRefused } from '../../domain/errors/ehr-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { EhrCallScope } from '../../ports/ehr-repository.ts';
import type { FhirHttpClient, FhirHttpRequest, FhirHttpResponse } from './fhir-http-client.ts';
import { ehrErrorForStatus, isNotFoundStatus } from './fhir-status-errors.ts';
import { asObject, asObjects, asString } from './fhir-values.ts';
import type { SmartBackendTokens } from './smart-backend-tokens.ts';

/** Pages followed at most per search, whatever `next` says: a loop in a server's links ends here. */
const MAX_PAGES = 20;
/** Entries asked for per page (`_count`); servers may answer fewer. */
const MAX_PAGE_SIZE = 100;

export type FhirTenantRequest = Omit<FhirHttpRequest, 'url'> & {
  /** Relative to the connection's `fhirBaseUrl`, e.g. `Patient/123`. */
  readonly path?: string | undefined;
  readonly query?: URLSearchParams | undefined;
  /** An absolute URL the server gave (a `next` link, a `Location`), already checked to be under the base. */
  readonly url?: string | undefined;
};

export interface FhirTenantClientDependencies {
  readonly http: FhirHttpClient;
  readonly tokens: SmartBackendTokens;
}

/**
 * A tenant's FHIR server as one authorised request at a time: the bearer token from the cache,
 * refreshed once when the server answers 401, and every answer that is neither a success nor
 * "not found" turned into its EHR_* error (naming `reference` and the status only).
 */
export class FhirTenantClient {
  private readonly deps: FhirTenantClientDependencies;

  constructor(deps: FhirTenantClientDependencies) {
    this.deps = deps;
  }

  /** The answer to a 2xx, undefined for 404/410; every other status throws its EHR error. */
  async request(
    scope: EhrCallScope,
    connection: EhrConnection,
    request: FhirTenantRequest,
    reference: string,
  ): Promise<FhirHttpResponse | undefined> {
    const url =
      'url' in request && request.url
        ? request.url
        : resourceUrl(connection, request.path ?? '', request.query);
    const outgoing: FhirHttpRequest = {
      method: request.method,
      url,
      headers: request.headers,
      json: request.json,
      form: request.form,
    };
    let response = await this.authorised(scope, connection, outgoing);
    if (response.status === 401)
      response = await this.authorised(scope, connection, outgoing, response.token);
    if (response.status === 401) throw ehrRefused(401);
    if (isNotFoundStatus(response.status)) return undefined;
    if (response.status < 200 || response.status >= 300) throw ehrErrorForStatus(response, reference);
    return response;
  }

  /**
   * The resources of `resourceType` a search answers, following `Bundle.link[next]` while it stays
   * under the connection's base URL (a server cannot send the platform's token elsewhere), until
   * `limit` are found. Included resources and OperationOutcomes in the Bundle are skipped.
   */
  async search(
    scope: EhrCallScope,
    connection: EhrConnection,
    resourceType: string,
    params: URLSearchParams,
    limit: number,
  ): Promise<unknown[]> {
    params.set('_count', String(Math.min(limit, MAX_PAGE_SIZE)));
    const found: unknown[] = [];
    const seen = new Set<string>();
    let url: string | undefined = resourceUrl(connection, resourceType, params);
    for (let page = 0; url && page < MAX_PAGES && found.length < limit; page += 1) {
      seen.add(url);
      const response = await this.request(scope, connection, { method: 'GET', url }, resourceType);
      const bundle = asObject(response?.body);
      if (bundle?.resourceType !== 'Bundle') break;
      for (const entry of asObjects(bundle.entry)) {
        const mode = asString(asObject(entry.search)?.mode);
        const resource = asObject(entry.resource);
        if ((mode === undefined || mode === 'match') && resource?.resourceType === resourceType)
          found.push(resource);
      }
      const next = asString(asObjects(bundle.link).find((link) => link.relation === 'next')?.url);
      url = next && isUnderBase(next, connection.fhirBaseUrl) && !seen.has(next) ? next : undefined;
    }
    return found.slice(0, limit);
  }

  private async authorised(
    scope: EhrCallScope,
    connection: EhrConnection,
    request: FhirHttpRequest,
    refusedToken?: string,
  ): Promise<FhirHttpResponse & { token: string }> {
    if (refusedToken !== undefined) this.deps.tokens.invalidate(scope.tenantId as TenantId, refusedToken);
    const token = await this.deps.tokens.accessToken(connection, scope.deadlineAt);
    const response = await this.deps.http.send(
      { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } },
      scope.deadlineAt,
    );
    return { ...response, token };
  }
}

/** `<fhirBaseUrl>/<path>[?query]`, whatever trailing slash the base was registered with. */
export function resourceUrl(
  connection: Pick<EhrConnection, 'fhirBaseUrl'>,
  path: string,
  query?: URLSearchParams,
): string {
  const base = connection.fhirBaseUrl.replace(/\/+$/, '');
  const search = query && [...query.keys()].length > 0 ? `?${query.toString()}` : '';
  return `${base}/${path}${search}`;
}

/** Same origin, and a path at or below the base's path. */
export function isUnderBase(candidate: string, fhirBaseUrl: string): boolean {
  let url: URL;
  let base: URL;
  try {
    url = new URL(candidate);
    base = new URL(fhirBaseUrl);
  } catch {
    return false;
  }
  const basePath = base.pathname.replace(/\/+$/, '');
  return (
    url.origin === base.origin &&
    !url.username &&
    !url.password &&
    (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))
  );
}

import type { Caller } from '../../shared/auth/caller.ts';
import type { EhrConnectionView } from '../../shared/domain/ehr-connection-view.ts';
import { entityTagOf } from '../../shared/http/entity-tag.ts';
import { PublicJwksSchema } from '../../shared/http/requests/ehr-connection-requests.ts';
import type { RouteContext, RouteHandlersFor, RouteResult } from '../../shared/http/route-record.ts';
import type { EHR_CONNECTION_ROUTES } from '../../shared/http/routes/ehr-connection-routes.ts';
import type { EhrSigningKeys } from '../../shared/ports/ehr-signing-keys.ts';
import { type EhrConnectionService, publicJwksOf } from '../../shared/services/ehr/ehr-connection-service.ts';

export interface EhrConnectionRouteDependencies {
  readonly ehrConnectionServiceFor: (caller: Caller, requestId: string) => EhrConnectionService;
  /** The JWKS route has no caller: it reads the public keys only. */
  readonly signingKeys: EhrSigningKeys;
}

const viewResult = (view: EhrConnectionView, status?: 201): RouteResult<EhrConnectionView> => ({
  ...(status ? { status } : {}),
  body: view,
  headers: { etag: entityTagOf(view.version) },
});

/** EHRs cache the key set; five minutes bounds how long a newly added key waits to be seen. */
const JWKS_HEADERS = { 'cache-control': 'public, max-age=300', 'content-type': 'application/jwk-set+json' };

/** Parsed request → use case → result; the tenant is always the caller's, from the token. */
export function ehrConnectionRoutes(
  deps: EhrConnectionRouteDependencies,
): RouteHandlersFor<typeof EHR_CONNECTION_ROUTES> {
  const service = ({ caller, requestId }: RouteContext) => deps.ehrConnectionServiceFor(caller, requestId);

  return {
    'GET /v1/tenant/ehr-connection': async (_request, context) => viewResult(await service(context).get()),

    'PUT /v1/tenant/ehr-connection': async ({ headers, body }, context) => {
      const { view, isCreated } = await service(context).put(body, headers['if-match']);
      return viewResult(view, isCreated ? 201 : undefined);
    },

    'POST /v1/tenant/ehr-connection/test': async (_request, context) => ({
      body: await service(context).test(),
    }),

    // The same empty set for an unknown tenant as for one without keys: nothing to enumerate.
    // Parsed strictly: a private member reaching this answer would fail it, not be published.
    'GET /v1/tenants/{tenantId}/ehr-connection/jwks.json': async ({ path }) => ({
      body: PublicJwksSchema.parse(await publicJwksOf(path.tenantId, deps.signingKeys)),
      headers: JWKS_HEADERS,
    }),
  };
}

import type { Caller } from '../../shared/auth/caller.ts';
import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { MARKETPLACE_ADVISORY_ROUTES } from '../../shared/http/routes/marketplace-advisory-routes.ts';
import type { AdvisoryAdministration } from '../../shared/services/scanning/advisory-administration.ts';

const actorOf = ({ caller, requestId }: { caller: Caller; requestId: string }) => ({
  tenantId: caller.tenantId,
  userId: caller.userId,
  scopes: caller.scopes,
  requestId,
});

/** Parsed request → advisory use case → result. */
export function advisoryRoutes(
  advisories: AdvisoryAdministration,
): RouteHandlersFor<typeof MARKETPLACE_ADVISORY_ROUTES> {
  return {
    'PUT /v1/marketplace/advisories/{advisoryId}': async ({ path, body }, context) => ({
      body: await advisories.putAdvisory(path.advisoryId, body, actorOf(context)),
    }),
    'POST /v1/marketplace/advisories/rescan': async (_request, context) => ({
      body: await advisories.rescan(actorOf(context)),
    }),
  };
}

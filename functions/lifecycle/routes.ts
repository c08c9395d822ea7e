import { ok, type RouteHandler } from '../../shared/http/http-types.ts';
import { parsePageQuery } from '../../shared/http/pagination.ts';
import type { InstallationRepository } from '../../shared/ports/installation-repository.ts';
import { listInstallations } from '../../shared/services/list-installations.ts';

export function lifecycleRoutes(deps: {
  installations: InstallationRepository;
}): Record<string, RouteHandler> {
  return {
    'GET /v1/plugins': async (request) => {
      const page = await listInstallations(
        { tenantId: request.caller.tenantId, page: parsePageQuery(request.query) },
        deps,
      );
      return ok(page);
    },
  };
}

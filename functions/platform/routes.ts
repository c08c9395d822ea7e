import { z } from 'zod';
import { buildOpenApiDocument } from '../../shared/http/openapi.ts';
import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { PLATFORM_ROUTES } from '../../shared/http/routes/platform-routes.ts';
import type { PlatformConfig } from './config.ts';

const StandInVersionsSchema = z.record(z.string(), z.string());

export function platformRoutes(config: PlatformConfig): RouteHandlersFor<typeof PLATFORM_ROUTES> {
  const health = {
    status: 'ok' as const,
    mode: config.PLATFORM_MODE,
    version: config.PLATFORM_VERSION,
    node: process.versions.node,
    standIns: StandInVersionsSchema.parse(JSON.parse(config.STAND_IN_VERSIONS)),
  };
  const openApi = buildOpenApiDocument(config.PLATFORM_VERSION);
  return {
    'GET /health': async () => ({ body: health }),
    'GET /openapi.json': async () => ({ body: openApi }),
  };
}

import { z } from 'zod';
import { ok, type PublicRouteHandler } from '../../shared/http/http-types.ts';
import { buildOpenApiDocument } from '../../shared/http/openapi.ts';
import type { PlatformConfig } from './config.ts';

const StandInVersionsSchema = z.record(z.string(), z.string());

export function platformRoutes(config: PlatformConfig): Record<string, PublicRouteHandler> {
  const health = {
    status: 'ok',
    mode: config.PLATFORM_MODE,
    version: config.PLATFORM_VERSION,
    node: process.versions.node,
    standIns: StandInVersionsSchema.parse(JSON.parse(config.STAND_IN_VERSIONS)),
  };
  const openApi = buildOpenApiDocument(config.PLATFORM_VERSION);
  return {
    'GET /health': async () => ok(health),
    'GET /openapi.json': async () => ok(openApi),
  };
}

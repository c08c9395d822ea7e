import { describe, expect, it } from 'vitest';
import { auditRoutes } from '../../../../functions/audit/routes.ts';
import { ehrConnectionRoutes } from '../../../../functions/ehr-connection/routes.ts';
import { ehrNotificationRoutes } from '../../../../functions/ehr-notifications/routes.ts';
import { eventsRoutes } from '../../../../functions/events/routes.ts';
import { lifecycleRoutes } from '../../../../functions/lifecycle/routes.ts';
import { marketplaceRoutes } from '../../../../functions/marketplace/routes.ts';
import { platformRoutes } from '../../../../functions/platform/routes.ts';
import type { RouteHandlersFor } from '../../../../shared/http/route-record.ts';
import { FUNCTION_NAMES, ROUTE_RECORDS, ROUTES, recordsOf } from '../../../../shared/http/route-table.ts';
import type { PLATFORM_ROUTES } from '../../../../shared/http/routes/platform-routes.ts';

const HANDLERS = {
  platform: platformRoutes({
    PLATFORM_MODE: 'local',
    PLATFORM_VERSION: '0.0.0',
    STAND_IN_VERSIONS: '{}',
  } as never),
  lifecycle: lifecycleRoutes({} as never),
  marketplace: marketplaceRoutes({} as never),
  audit: auditRoutes({} as never),
  'ehr-connection': ehrConnectionRoutes({} as never),
  'ehr-notifications': ehrNotificationRoutes({} as never),
  events: eventsRoutes({} as never),
};

describe('route records', () => {
  it.each(FUNCTION_NAMES)('gives every %s record exactly one handler and every handler a record', (name) => {
    const handlerKeys = Object.keys(HANDLERS[name]).sort();

    expect(handlerKeys).toEqual(
      recordsOf(name)
        .map((record) => record.routeKey)
        .sort(),
    );
  });

  it('holds each route key once, in API Gateway syntax', () => {
    const keys = ROUTE_RECORDS.map((record) => record.routeKey);

    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/[\w/{}.-]*$/);
  });

  it('gives public routes no scopes, 204 routes no body and path parameters a path schema', () => {
    for (const record of ROUTE_RECORDS) {
      if (!record.isAuthenticated) expect(record.scopes, record.routeKey).toEqual([]);
      if (record.status === 204) expect(record.response, record.routeKey).toBeUndefined();
      else expect(record.response, record.routeKey).toBeDefined();
      if (record.routeKey.includes('{')) expect(record.request.path, record.routeKey).toBeDefined();
      expect(record.summary.length, record.routeKey).toBeGreaterThan(0);
    }
  });

  it('derives the metadata view from the records, without schemas or handlers', () => {
    expect(ROUTES.map((route) => Object.keys(route).sort())).toEqual(
      ROUTE_RECORDS.map(() => ['function', 'isAuthenticated', 'routeKey', 'scopes']),
    );
  });

  it('makes a missing or extra handler a type error', () => {
    // @ts-expect-error: 'GET /openapi.json' has a record but no handler here.
    const missing: RouteHandlersFor<typeof PLATFORM_ROUTES> = { 'GET /health': async () => ({}) };
    const extra: RouteHandlersFor<typeof PLATFORM_ROUTES> = {
      'GET /health': async () => ({}),
      'GET /openapi.json': async () => ({}),
      // @ts-expect-error: no record for this route key.
      'GET /nowhere': async () => ({}),
    };

    expect(Object.keys({ ...missing, ...extra })).toContain('GET /health');
  });
});

import { HealthSchema, OpenApiDocumentSchema } from '../response-schemas.ts';
import { defineRoute } from '../route-record.ts';

export const PLATFORM_ROUTES = [
  defineRoute({
    routeKey: 'GET /health',
    operationId: 'getHealth',
    function: 'platform',
    isAuthenticated: false,
    scopes: [],
    summary: 'Platform version, mode, Node and stand-in versions',
    request: {},
    status: 200,
    response: HealthSchema,
  }),
  defineRoute({
    routeKey: 'GET /openapi.json',
    operationId: 'getOpenApiDocument',
    function: 'platform',
    isAuthenticated: false,
    scopes: [],
    summary: 'This OpenAPI 3.1 description, built from the route records',
    request: {},
    status: 200,
    response: OpenApiDocumentSchema,
  }),
] as const;

import { z } from 'zod';
import {
  EnablePluginBodySchema,
  InstallPluginBodySchema,
  InvokePluginBodySchema,
  PutTenantPolicyBodySchema,
  UpdatePluginBodySchema,
} from '../domain/lifecycle-requests.ts';
import {
  DeprecateRequestSchema,
  PublishRequestSchema,
  RegisterPublisherKeyRequestSchema,
  RevokeRequestSchema,
  UploadRequestSchema,
} from '../domain/marketplace.ts';
import { ReviewInputSchema } from '../domain/review.ts';
import { ROUTES, type RouteDefinition } from './route-table.ts';

/** The request body schema of each route that takes one: the same schemas the handlers parse with. */
const REQUEST_BODIES: Readonly<Record<string, z.ZodType>> = {
  'POST /v1/plugins': InstallPluginBodySchema,
  'POST /v1/plugins/{id}/enable': EnablePluginBodySchema,
  'POST /v1/plugins/{id}/update': UpdatePluginBodySchema,
  'POST /v1/plugins/{id}/invoke': InvokePluginBodySchema,
  'PUT /v1/tenant/policy': PutTenantPolicyBodySchema,
  'POST /v1/marketplace/plugins': PublishRequestSchema,
  'POST /v1/marketplace/uploads': UploadRequestSchema,
  'POST /v1/marketplace/plugins/{id}/deprecate': DeprecateRequestSchema,
  'POST /v1/marketplace/plugins/{id}/versions/{version}/revoke': RevokeRequestSchema,
  'PUT /v1/marketplace/plugins/{id}/reviews/mine': ReviewInputSchema,
  'POST /v1/publishers/keys': RegisterPublisherKeyRequestSchema,
};

/** Routes that answer 201 with the created resource (a review's PUT answers 200 when it replaces). */
const CREATING_ROUTES = new Set([
  'POST /v1/plugins',
  'POST /v1/marketplace/plugins',
  'POST /v1/marketplace/uploads',
  'POST /v1/marketplace/plugins/{id}/versions/{version}/install',
  'PUT /v1/marketplace/plugins/{id}/reviews/mine',
  'POST /v1/publishers/keys',
]);

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request id' },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const jsonSchemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

function operationOf(route: RouteDefinition) {
  const [method = 'GET', path = '/'] = route.routeKey.split(' ');
  const parameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const body = REQUEST_BODIES[route.routeKey];
  const success = method === 'DELETE' ? '204' : CREATING_ROUTES.has(route.routeKey) ? '201' : '200';
  return {
    operationId: route.routeKey.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    tags: [route.function],
    security: route.isAuthenticated ? [{ bearer: [...route.scopes] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(body) } } } }
      : {}),
    responses: {
      [success]: { description: success === '204' ? 'Done' : 'Success (application/json)' },
      default: {
        description: 'An RFC 9457 problem with a stable code',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 description of the HTTP API, built from the route table and the request schemas
 * the handlers validate with, so the document cannot describe an API other than the one served.
 */
export function buildOpenApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const [method = 'GET', path = '/'] = route.routeKey.split(' ');
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Gradiant Plugins API', version },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  };
}

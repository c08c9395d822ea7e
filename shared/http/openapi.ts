import { COMPONENT_SCHEMA_MODULES } from './openapi-component-modules.ts';
import { API_DESCRIPTION, BEARER_DESCRIPTION, TAG_DESCRIPTIONS } from './openapi-info.ts';
import { operationIdOf, splitRouteKey } from './openapi-operation-id.ts';
import { problemComponentsOf, problemResponsesOf } from './openapi-problems.ts';
import { ComponentSchemas, type JsonSchema } from './openapi-schemas.ts';
import { ProblemSchema } from './problem-schema.ts';
import { FUNCTION_NAMES, type RouteRecord } from './route-record.ts';
import { ROUTE_RECORDS } from './route-table.ts';

export { problemStatusesOf } from './openapi-problems.ts';

export interface OpenApiOptions {
  /**
   * The API's base URL as its callers reach it (say the API Gateway stage URL). Unset, the server
   * is `/`: the host that served the document, which is right wherever `GET /openapi.json` answers.
   */
  readonly serverUrl?: string;
}

/** Each property of an object schema becomes one parameter `in` the given place. */
function parametersOf(
  schemas: ComponentSchemas,
  schema: RouteRecord['request']['query'],
  location: 'path' | 'query' | 'header',
) {
  if (!schema) return [];
  const json = schemas.resolve(schemas.schemaOf(schema, 'input'), 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, { description, ...property }]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    ...(typeof description === 'string' ? { description } : {}),
    schema: property,
  }));
}

const IDEMPOTENCY_KEY_PARAMETER = {
  name: 'idempotency-key',
  in: 'header',
  required: false,
  description:
    'Replays the first answer to a retry with the same key and body for 24 h; the same key with another body is a 422 `IDEMPOTENCY_KEY_REUSED`',
  schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
};

function successResponseOf(schemas: ComponentSchemas, record: RouteRecord, status: number) {
  const headers = Object.entries(record.responseHeaders ?? {}).map(([name, description]) => [
    name,
    { description, schema: { type: 'string' } },
  ]);
  const content =
    record.response && status !== 204
      ? {
          'application/json': { schema: schemas.schemaOf(record.response, 'output') },
          ...(record.alternativeResponse
            ? {
                [record.alternativeResponse.mediaType]: {
                  schema: schemas.schemaOf(record.alternativeResponse.schema, 'output'),
                },
              }
            : {}),
        }
      : undefined;
  return {
    description: status === 204 ? 'Done; no body' : record.summary,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(content ? { content } : {}),
  };
}

function descriptionOf(record: RouteRecord): string {
  const access = !record.isAuthenticated
    ? 'No token.'
    : record.scopes.length === 0
      ? 'Any valid token (no scope needed).'
      : `Scopes (any one): ${record.scopes.map((scope) => `\`${scope}\``).join(', ')}.`;
  return [record.description, access].filter(Boolean).join('\n\n');
}

function operationOf(schemas: ComponentSchemas, record: RouteRecord) {
  const { request } = record;
  const parameters = [
    ...parametersOf(schemas, request.path, 'path'),
    ...parametersOf(schemas, request.query, 'query'),
    ...parametersOf(schemas, request.headers, 'header'),
    ...(record.idempotencyScope ? [IDEMPOTENCY_KEY_PARAMETER] : []),
  ];
  const successes = [record.status, ...(record.alternativeStatus ? [record.alternativeStatus] : [])];
  return {
    operationId: operationIdOf(record),
    summary: record.summary,
    description: descriptionOf(record),
    tags: [record.function],
    security: record.isAuthenticated ? [{ bearer: [...record.scopes] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(request.body
      ? {
          requestBody: {
            required: !record.isBodyOptional,
            content: {
              [record.bodyMediaType ?? 'application/json']: {
                schema: schemas.schemaOf(request.body, 'input'),
              },
            },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        successes.map((status) => [String(status), successResponseOf(schemas, record, status)]),
      ),
      ...problemResponsesOf(record),
      default: {
        description: 'Any other failure: an RFC 9457 problem with a stable code (a 500 never echoes detail)',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 description of the HTTP API, built from the route records the functions
 * dispatch and parse with, so the document cannot describe an API other than the one served.
 */
export function buildOpenApiDocument(
  version: string,
  records: readonly RouteRecord[] = ROUTE_RECORDS,
  options: OpenApiOptions = {},
) {
  const schemas = new ComponentSchemas([...COMPONENT_SCHEMA_MODULES, { ProblemSchema }]);
  schemas.schemaOf(ProblemSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const record of records) {
    const { method, path } = splitRouteKey(record.routeKey);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = operationOf(schemas, record);
  }
  const used = new Set(records.map((record) => record.function));
  const { document, schemas: components } = schemas.finish({
    openapi: '3.1.0',
    info: {
      title: 'Gradiant Plugins API',
      version,
      description: API_DESCRIPTION,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Gradiant-Proprietary' },
    },
    servers: [
      options.serverUrl === undefined
        ? { url: '/', description: 'The host that served this document' }
        : { url: options.serverUrl, description: 'The configured API base URL' },
    ],
    tags: FUNCTION_NAMES.filter((name) => used.has(name)).map((name) => ({
      name,
      description: TAG_DESCRIPTIONS[name],
    })),
    paths,
  });
  return {
    ...document,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: BEARER_DESCRIPTION },
      },
      schemas: components,
      responses: problemComponentsOf(records),
    },
  };
}

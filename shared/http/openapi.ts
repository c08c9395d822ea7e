import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, UNEXPECTED_ERROR_CODE } from '../domain/errors/error-codes.ts';
import { STATUS_BY_CODE } from './problem.ts';
import type { RouteRecord } from './route-record.ts';
import { ROUTE_RECORDS } from './route-table.ts';

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request id' },
    code: {
      type: 'string',
      enum: [...Object.keys(ERROR_CODES), UNEXPECTED_ERROR_CODE],
      description: 'Stable; never changes once shipped. Each status lists the codes it carries.',
    },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: {
            type: 'string',
            description: '`path.<name>`, `query.<name>`, `headers.<name>` or `body.<path>`',
          },
          message: { type: 'string' },
        },
      },
    },
    findings: {
      type: 'array',
      description: 'VULNERABLE_DEPENDENCY: every bundled component an advisory affects',
      items: {
        type: 'object',
        required: ['package', 'version', 'advisoryId', 'severity'],
        properties: {
          package: { type: 'string' },
          version: { type: 'string' },
          advisoryId: { type: 'string' },
          severity: { type: 'string', enum: ['low', 'moderate', 'high', 'critical'] },
        },
      },
    },
  },
};

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request failed its schema (errors[] names each field)',
  401: 'No valid bearer token',
  403: 'The token lacks every scope this operation accepts',
  404: 'No such resource in the caller’s tenant',
  409: 'Conflicts with the resource’s current state',
  412: 'If-Match names a version that is no longer current',
  413: 'The body or artifact is too large',
  415: 'The body is not in the media type this operation takes',
  422: 'Well-formed but refused by a rule (signature, policy, advisory)',
  428: 'This operation requires If-Match',
  429: 'Too many requests; retry after Retry-After',
  503: 'Nothing ran; retry after Retry-After',
};

/** The codes each status can carry, from the one table, so the document lists no code twice or never. */
const CODES_BY_STATUS = (Object.entries(STATUS_BY_CODE) as [ErrorCode, number][]).reduce(
  (byStatus, [code, status]) => byStatus.set(status, [...(byStatus.get(status) ?? []), code]),
  new Map<number, ErrorCode[]>(),
);

const problemDescriptionOf = (status: number): string => {
  const codes = CODES_BY_STATUS.get(status) ?? [];
  const summary = PROBLEM_DESCRIPTIONS[status] ?? 'An RFC 9457 problem';
  return codes.length === 0 ? summary : `${summary}. Codes: ${codes.map((code) => `\`${code}\``).join(', ')}`;
};

type JsonSchema = Record<string, unknown>;

const jsonSchemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function splitRouteKey(routeKey: string): { method: string; path: string } {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  return { method, path };
}

/** Each property of an object schema becomes one parameter `in` the given place. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
  }));
}

/** The 4xx a route's shape implies, plus those its record documents. */
export function problemStatusesOf(record: RouteRecord): number[] {
  const { request } = record;
  const statuses = new Set<number>(record.problems ?? []);
  if (request.path || request.query || request.headers || request.body) statuses.add(400);
  if (record.isAuthenticated) {
    statuses.add(401);
    statuses.add(403);
  }
  if (request.path) statuses.add(404);
  if (request.body) {
    statuses.add(413);
    statuses.add(415);
  }
  return [...statuses].sort((a, b) => a - b);
}

function successResponseOf(record: RouteRecord, status: number) {
  const headers = Object.entries(record.responseHeaders ?? {}).map(([name, description]) => [
    name,
    { description, schema: { type: 'string' } },
  ]);
  return {
    description: status === 204 ? 'Done; no body' : record.summary,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers) } : {}),
    ...(record.response && status !== 204
      ? {
          content: {
            'application/json': { schema: jsonSchemaOf(record.response, 'output') },
            ...(record.alternativeResponse
              ? {
                  [record.alternativeResponse.mediaType]: {
                    schema: jsonSchemaOf(record.alternativeResponse.schema, 'output'),
                  },
                }
              : {}),
          },
        }
      : {}),
  };
}

function operationOf(record: RouteRecord) {
  const { request } = record;
  const parameters = [
    ...parametersOf(request.path, 'path'),
    ...parametersOf(request.query, 'query'),
    ...parametersOf(request.headers, 'header'),
    ...(record.idempotencyScope
      ? [
          {
            name: 'idempotency-key',
            in: 'header',
            required: false,
            description: 'Replays the first answer to a retry with the same key and body for 24 h',
            schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
          },
        ]
      : []),
  ];
  const successes = [record.status, ...(record.alternativeStatus ? [record.alternativeStatus] : [])];
  const problem = (status: number) => ({
    description: problemDescriptionOf(status),
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            { properties: { status: { const: status }, code: { enum: CODES_BY_STATUS.get(status) ?? [] } } },
          ],
        },
      },
    },
  });
  return {
    operationId: record.routeKey.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    summary: record.summary,
    tags: [record.function],
    security: record.isAuthenticated ? [{ bearer: [...record.scopes] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(request.body
      ? {
          requestBody: {
            required: !record.isBodyOptional,
            content: {
              [record.bodyMediaType ?? 'application/json']: { schema: jsonSchemaOf(request.body, 'input') },
            },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(successes.map((status) => [String(status), successResponseOf(record, status)])),
      ...Object.fromEntries(problemStatusesOf(record).map((status) => [String(status), problem(status)])),
      default: {
        description: 'Any other failure: an RFC 9457 problem with a stable code (5xx never echo detail)',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      },
    },
  };
}

/**
 * The OpenAPI 3.1 description of the HTTP API, built from the route records the functions
 * dispatch and parse with, so the document cannot describe an API other than the one served.
 */
export function buildOpenApiDocument(version: string, records: readonly RouteRecord[] = ROUTE_RECORDS) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const record of records) {
    const { method, path } = splitRouteKey(record.routeKey);
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = operationOf(record);
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

import { z } from 'zod';
import { DomainError } from '../domain/errors/domain-error.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { HttpResponse } from './http-types.ts';
import { withIdempotency } from './idempotency.ts';
import { parseWith } from './parse-request.ts';
import type {
  AnyRouteHandler,
  BodyMediaType,
  ParsedRequest,
  RouteContext,
  RouteRecord,
  RouteRequestSchemas,
} from './route-record.ts';

/** A request as it arrived, before the record's schemas judged it. */
export interface RawRequest {
  readonly pathParameters: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  hasBody(): boolean;
  /** The parsed JSON body; throws MALFORMED_JSON, UNSUPPORTED_MEDIA_TYPE or PAYLOAD_TOO_LARGE. */
  jsonBody(mediaType: BodyMediaType, maxBytes?: number): unknown;
}

export interface IdempotencyOptions {
  readonly store: IdempotencyStore;
  readonly now: () => Date;
}

const optional = <T>(schema: z.ZodType<T> | undefined, value: unknown, part: string): T | undefined =>
  schema === undefined ? undefined : parseWith(schema, value, part);

/** Every part the record names is parsed, in order path, query, headers, body, each error `<part>.<field>`. */
export function parseRouteRequest(record: RouteRecord, raw: RawRequest): ParsedRequest<RouteRequestSchemas> {
  const { request } = record;
  const path = optional(request.path, raw.pathParameters, 'path');
  const query = optional(request.query, raw.query, 'query');
  const headers = optional(request.headers, raw.headers, 'headers');
  const body =
    request.body === undefined
      ? undefined
      : parseWith(
          request.body,
          !raw.hasBody() && record.isBodyOptional
            ? {}
            : raw.jsonBody(record.bodyMediaType ?? 'application/json', record.maxBodyBytes),
          'body',
        );
  return { path, query, headers, body } as ParsedRequest<RouteRequestSchemas>;
}

/**
 * Parses by the record, runs the handler, and answers with the record's status. A handler that
 * answers a status its record does not document is a bug, so it is a 500, not a silent drift from
 * the OpenAPI document. Idempotent routes fingerprint the raw body before parsing it, so a refused
 * body is refused alike with and without a key.
 */
export async function runRoute(
  record: RouteRecord,
  handler: AnyRouteHandler,
  raw: RawRequest,
  context: RouteContext,
  idempotency?: IdempotencyOptions,
): Promise<HttpResponse> {
  const run = async (): Promise<HttpResponse> => {
    const result = await handler(parseRouteRequest(record, raw), context).catch((error: unknown) => {
      throw error instanceof DomainError ? error.withFields((field) => locateField(record, field)) : error;
    });
    const status = result.status ?? record.status;
    if (status !== record.status && status !== record.alternativeStatus) {
      throw new Error(`${record.routeKey} answered ${status}, which its route record does not document`);
    }
    return {
      status,
      ...(status === 204 ? {} : { body: result.body }),
      ...(result.headers ? { headers: result.headers } : {}),
    };
  };
  if (record.idempotencyScope === undefined) return run();
  if (!idempotency) throw new Error(`${record.routeKey} needs an idempotency store`);
  return withIdempotency(context, record.idempotencyScope, idempotency.store, idempotency.now, run);
}

const REQUEST_PARTS = ['path', 'query', 'headers', 'body'] as const;

/**
 * A use case names the input field at fault (`version`, `metadata.permissions.0`); the caller needs
 * to know where it sent it (`body.version`), as parse errors say. The field goes to the first part
 * of the route's request whose schema has its top-level key; one already located, or one no part
 * declares, is kept as it is.
 */
function locateField(record: RouteRecord, field: string): string {
  const top = field.split('.', 1)[0] ?? field;
  if ((REQUEST_PARTS as readonly string[]).includes(top)) return field;
  const part = REQUEST_PARTS.find((name) => topLevelKeysOf(record.request[name]).has(top));
  return part ? `${part}.${field}` : field;
}

function topLevelKeysOf(schema: z.ZodType | undefined): ReadonlySet<string> {
  if (schema instanceof z.ZodObject) return new Set(Object.keys(schema.shape));
  if (schema instanceof z.ZodPipe) return topLevelKeysOf(schema.in as z.ZodType);
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault)
    return topLevelKeysOf(schema.unwrap() as z.ZodType);
  return new Set();
}

import type { z } from 'zod';
import type { Caller } from '../auth/caller.ts';
import type { AuditRecord } from '../domain/platform-events.ts';

export const FUNCTION_NAMES = [
  'platform',
  'lifecycle',
  'marketplace',
  'audit',
  'ehr-connection',
  'ehr-notifications',
  'events',
] as const;
export type HttpFunctionName = (typeof FUNCTION_NAMES)[number];

export const SCOPES = [
  'plugins:read',
  'plugins:admin',
  'plugins:invoke',
  'marketplace:publish',
  'marketplace:review',
  'marketplace:admin',
  'audit:read',
] as const;
export type Scope = (typeof SCOPES)[number];

/** What API Gateway and the local matcher need of a route: no schema, no handler. */
export interface RouteDefinition {
  /** API Gateway syntax (`METHOD /path/{param}`): also what a handler receives as `event.routeKey`. */
  readonly routeKey: string;
  readonly function: HttpFunctionName;
  /** False only for routes that must answer without a token (health). */
  readonly isAuthenticated: boolean;
  /** Any one of these scopes admits the caller; the handler may check finer rules. */
  readonly scopes: readonly Scope[];
}

/** Each part of a request the dispatcher parses before the handler runs; errors name `<part>.<field>`. */
export interface RouteRequestSchemas {
  readonly path?: z.ZodType;
  readonly query?: z.ZodType;
  /** Header names are lower-cased before parsing. */
  readonly headers?: z.ZodType;
  readonly body?: z.ZodType;
}

/** 202: taken, and what it asks for is done or need not be (an EHR notification). */
export type SuccessStatus = 200 | 201 | 202 | 204;
export type BodyMediaType = 'application/json' | 'application/merge-patch+json';

/**
 * One record per route: the single source that API Gateway, the local matcher, each function's
 * dispatch and the OpenAPI document read, so none of them can describe another API.
 */
export interface RouteRecord<
  Key extends string = string,
  Request extends RouteRequestSchemas = RouteRequestSchemas,
  Authenticated extends boolean = boolean,
  Response extends z.ZodType | undefined = z.ZodType | undefined,
  Alternative extends z.ZodType | undefined = z.ZodType | undefined,
> extends RouteDefinition {
  readonly routeKey: Key;
  readonly isAuthenticated: Authenticated;
  readonly summary: string;
  /** The OpenAPI operationId (camelCase, unique); unset, one is derived from the route key. */
  readonly operationId?: string;
  /** What the operation does beyond its summary, for the API reference (Markdown). */
  readonly description?: string;
  readonly request: Request;
  /** The body's media type (default application/json); any other is a 415. */
  readonly bodyMediaType?: BodyMediaType;
  /** A missing body parses as `{}`; a present one must still be valid JSON. */
  readonly isBodyOptional?: boolean;
  /** A body cap below the API's (MAX_JSON_BODY_BYTES), for routes whose bodies are small by nature. */
  readonly maxBodyBytes?: number;
  readonly status: SuccessStatus;
  /** A second success status the handler may answer (a PUT that replaces rather than creates). */
  readonly alternativeStatus?: SuccessStatus;
  /** The success body (absent for 204): the handler's answer is typed by it. */
  readonly response?: Response;
  /**
   * A second success body in another media type (FHIR's `application/fhir+json`), chosen by a
   * query parameter; the handler sets its content type.
   */
  readonly alternativeResponse?: { readonly mediaType: string; readonly schema: NonNullable<Alternative> };
  /** Headers of the success response, name → description. */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /** The 4xx this route documents beyond those its shape implies (400, 401, 403, 404, 415). */
  readonly problems?: readonly number[];
  /** Set for unsafe routes that honour `Idempotency-Key`; the replay store's scope name. */
  readonly idempotencyScope?: string;
}

/** Keeps the literal route key and schema types, so handlers are typed by their record. */
export function defineRoute<
  const Key extends string,
  const Request extends RouteRequestSchemas,
  const Authenticated extends boolean = true,
  const Response extends z.ZodType | undefined = undefined,
  const Alternative extends z.ZodType | undefined = undefined,
>(
  record: Omit<RouteRecord<Key, Request, Authenticated, Response, Alternative>, 'isAuthenticated'> & {
    readonly isAuthenticated?: Authenticated;
  },
): RouteRecord<Key, Request, Authenticated, Response, Alternative> {
  return { ...record, isAuthenticated: (record.isAuthenticated ?? true) as Authenticated };
}

type Parsed<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

/** The request as the record's schemas parsed it. */
export interface ParsedRequest<Request extends RouteRequestSchemas> {
  readonly path: Parsed<Request['path']>;
  readonly query: Parsed<Request['query']>;
  readonly headers: Parsed<Request['headers']>;
  readonly body: Parsed<Request['body']>;
}

/** What every handler may need beyond the parsed parts: who asks, the request id, raw headers. */
export interface PublicRouteContext {
  readonly routeKey: string;
  readonly requestId: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  header(name: string): string | undefined;
  /** SHA-256 (hex) of the body bytes as received: the idempotency fingerprint. */
  bodyDigest(): string;
}
export interface RouteContext extends PublicRouteContext {
  readonly caller: Caller;
  /**
   * The request's `api:request` record as it reads when the route answers its success status,
   * for a use case that commits it in its own transaction (an invocation's settlement): call
   * `committed()` once it is, and the dispatcher does not append it a second time. Any other
   * answer (a refusal, a failure after all) still gets its own record.
   */
  handOffRequestRecord(): RequestRecordHandOff;
}

export interface RequestRecordHandOff {
  readonly record: AuditRecord;
  committed(): void;
}

/** A handler's answer; `status` defaults to the record's and must be one the record documents. */
export interface RouteResult<Body = unknown> {
  readonly status?: SuccessStatus;
  readonly body?: Body;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A value's type with every array and object read-only: use cases answer read-only views. */
type Immutable<T> = unknown extends T
  ? T
  : T extends string | number | boolean | bigint | symbol | null | undefined
    ? T
    : T extends readonly (infer Item)[]
      ? readonly Immutable<Item>[]
      : { readonly [Key in keyof T]: Immutable<T[Key]> };

/** The body a record's response schema describes; nothing for a 204 route. */
type ResponseBody<Response> = Response extends z.ZodType ? Immutable<z.output<Response>> : undefined;

export type RouteHandlerOf<Record extends RouteRecord> =
  Record extends RouteRecord<string, infer Request, infer Authenticated, infer Response, infer Alternative>
    ? (
        request: ParsedRequest<Request>,
        context: Authenticated extends false ? PublicRouteContext : RouteContext,
      ) => Promise<RouteResult<ResponseBody<Response> | ResponseBody<Alternative>>>
    : never;

/**
 * Exactly one handler per record of an area, keyed by route key: a missing handler or one for a
 * route that has no record is a type error (and the dispatcher checks again at cold start).
 */
export type RouteHandlersFor<Records extends readonly RouteRecord[]> = {
  readonly [Record in Records[number] as Record['routeKey']]: RouteHandlerOf<Record>;
};

export type AnyRouteHandler = (
  request: ParsedRequest<RouteRequestSchemas>,
  context: RouteContext,
) => Promise<RouteResult>;

/** The metadata-only view: what infra and the local matcher read. */
export function metadataOf(record: RouteDefinition): RouteDefinition {
  return {
    routeKey: record.routeKey,
    function: record.function,
    isAuthenticated: record.isAuthenticated,
    scopes: record.scopes,
  };
}

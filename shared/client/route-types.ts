import type { z } from 'zod';
import type { RouteRecord, RouteRequestSchemas } from '../http/route-record.ts';

/**
 * The client's request and result types, read off the server's own route records: what a caller
 * sends is the `z.input` of the record's schemas (before defaults and transforms run on the
 * server), what it gets back the `z.output` of the response schema. No interface here repeats a
 * schema, so a change to a route's schema changes the SDK's types with it.
 */
type RequestOf<Route> = Route extends RouteRecord<string, infer Request> ? Request : never;
type PartInput<Route, Part extends keyof RouteRequestSchemas> =
  RequestOf<Route> extends {
    readonly [Name in Part]: infer Schema extends z.ZodType;
  }
    ? z.input<Schema>
    : undefined;

export type PathOf<Route extends RouteRecord> = PartInput<Route, 'path'>;
/**
 * A query's input with coerced members made sendable: `z.coerce.number()` takes `unknown` (the
 * server reads a string), so the SDK offers the scalars it can put in a URL instead.
 */
type Sendable<Query> = Query extends object
  ? {
      [Name in keyof Query]: unknown extends Query[Name]
        ? string | number | boolean | undefined
        : Query[Name];
    }
  : Query;

export type QueryOf<Route extends RouteRecord> = Sendable<PartInput<Route, 'query'>>;
export type HeadersOf<Route extends RouteRecord> = PartInput<Route, 'headers'>;
export type BodyOf<Route extends RouteRecord> = PartInput<Route, 'body'>;

/** The success body a record documents (`undefined` for a 204 route). */
export type ResultOf<Route extends RouteRecord> =
  Route extends RouteRecord<string, RouteRequestSchemas, boolean, infer Response>
    ? Response extends z.ZodType
      ? z.output<Response>
      : undefined
    : never;

/** The second success body a record documents (`alternativeResponse`, say a FHIR Bundle). */
export type AlternativeResultOf<Route extends RouteRecord> =
  Route extends RouteRecord<string, RouteRequestSchemas, boolean, z.ZodType | undefined, infer Alternative>
    ? Alternative extends z.ZodType
      ? z.output<Alternative>
      : undefined
    : never;

/** The item type of a route answering `pageOf(Item)`. */
export type ItemOf<Route extends RouteRecord> =
  ResultOf<Route> extends { readonly items: readonly (infer Item)[] } ? Item : never;

/** One record of a list, by its literal route key. */
export type RecordOf<
  Records extends readonly RouteRecord[],
  Key extends Records[number]['routeKey'],
> = Extract<Records[number], { readonly routeKey: Key }>;

/** The parts of one request as the transport sends them; absent parts are not sent. */
export interface RequestParts {
  readonly path?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export type { RouteRecord, RouteRequestSchemas };

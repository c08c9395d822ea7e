import type { Caller } from '../../shared/auth/caller.ts';
import type { HttpEvent, HttpResponse } from '../../shared/http/http-types.ts';
import { apiRequestRecord } from '../../shared/http/request-audit.ts';
import { type IdempotencyOptions, runRoute } from '../../shared/http/route-dispatch.ts';
import type { AnyRouteHandler } from '../../shared/http/route-record.ts';
import { ROUTE_RECORDS } from '../../shared/http/route-table.ts';

export interface RouteCall {
  readonly caller: Caller;
  /** The already-decoded JSON body; `undefined` for none. */
  readonly body?: unknown;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly requestId?: string;
  readonly idempotency?: IdempotencyOptions;
}

/** Runs one route's handler through its record (parsing, status), as dispatch does, without HTTP. */
export function callRoute(handlers: object, routeKey: string, call: RouteCall): Promise<HttpResponse> {
  const record = ROUTE_RECORDS.find((candidate) => candidate.routeKey === routeKey);
  const handler = (handlers as Record<string, AnyRouteHandler | undefined>)[routeKey];
  if (!record || !handler) throw new Error(`no route ${routeKey}`);
  const pathParameters = call.pathParameters ?? {};
  return runRoute(
    record,
    handler,
    {
      pathParameters,
      query: call.query ?? {},
      headers: call.headers ?? {},
      hasBody: () => call.body !== undefined,
      jsonBody: () => call.body,
    },
    {
      routeKey,
      requestId: call.requestId ?? 'req',
      caller: call.caller,
      pathParameters,
      header: (name) => call.headers?.[name.toLowerCase()],
      bodyDigest: () => 'digest',
      handOffRequestRecord: () => ({
        record: apiRequestRecord({
          event: { routeKey, pathParameters } as unknown as HttpEvent,
          requestId: call.requestId ?? 'req',
          route: record,
          caller: call.caller,
          status: record.status,
        }),
        committed: () => undefined,
      }),
    },
    call.idempotency,
  );
}

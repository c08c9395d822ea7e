import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Caller } from '../auth/caller.ts';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import { forbidden } from '../domain/errors/auth-errors.ts';
import type { DomainError } from '../domain/errors/domain-error.ts';
import { UNEXPECTED_ERROR_CODE } from '../domain/errors/error-codes.ts';
import { routeNotFound } from '../domain/errors/request-errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { AuditTrail } from '../services/audit/audit-trail.ts';
import type { HttpEvent, HttpResponse, HttpResult } from './http-types.ts';
import { bodyDigestOf, headerOf, parseJsonBody } from './parse-request.ts';
import { problemResponse } from './problem.ts';
import { type AnsweredRequest, apiRequestRecord, recordApiRequest } from './request-audit.ts';
import { type IdempotencyOptions, type RawRequest, runRoute } from './route-dispatch.ts';
import type {
  AnyRouteHandler,
  HttpFunctionName,
  PublicRouteContext,
  RequestRecordHandOff,
  RouteDefinition,
} from './route-record.ts';
import { recordsOf } from './route-table.ts';

/** Handlers by route key; each area types its map with `RouteHandlersFor<its records>`. */
export type RouteHandlers = object;

export interface HttpHandlerOptions {
  readonly functionName: HttpFunctionName;
  readonly logger: Logger;
  /** Resolved lazily so that a cold start that never serves an authenticated route skips it. */
  readonly verifier: () => Promise<TokenVerifier>;
  readonly routes: RouteHandlers;
  /** Required when one of the function's records names an `idempotencyScope`. */
  readonly idempotency?: IdempotencyOptions;
  /**
   * Where each request's `api:request` record goes. Null only for a function whose routes are all
   * public metadata (health, the OpenAPI document): no tenant, no data, nothing to account for.
   */
  readonly requestAudit: AuditTrail | null;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

function render(response: HttpResponse, requestId: string): HttpResult {
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    'x-request-id': requestId,
    ...response.headers,
  };
  if (response.body === undefined) return { statusCode: response.status, headers };
  headers['content-type'] ??= 'application/json';
  return { statusCode: response.status, headers, body: JSON.stringify(response.body) };
}

function requireScopes(route: RouteDefinition, scopes: ReadonlySet<string>): void {
  if (route.scopes.length > 0 && !route.scopes.some((scope) => scopes.has(scope))) {
    throw forbidden(`This operation needs one of the scopes: ${route.scopes.join(', ')}.`);
  }
}

/** What the dispatcher learned of a request on its way, for its audit record. */
interface Seen {
  route?: RouteDefinition;
  caller?: Caller;
  code?: string;
  /** The status whose `api:request` record the route's use case committed itself. */
  committedRecordStatus?: number;
}

function lowerCased(headers: HttpEvent['headers']): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}

/**
 * The middy chain every HTTP function shares: request id, auth against the record's scopes,
 * parsing by the record's schemas, dispatch on `routeKey`, and the one error-to-problem mapping.
 * Handlers stay thin: parsed request in, use case, result out.
 */
export function createHttpHandler(options: HttpHandlerOptions) {
  const records = new Map(recordsOf(options.functionName).map((record) => [record.routeKey, record]));
  const handlers = new Map(Object.entries(options.routes) as [string, AnyRouteHandler][]);
  for (const routeKey of records.keys()) {
    if (!handlers.has(routeKey)) throw new Error(`No handler for route ${routeKey}`);
  }
  for (const routeKey of handlers.keys()) {
    if (!records.has(routeKey)) throw new Error(`Handler for ${routeKey}, which has no route record`);
  }

  const answer = async (event: HttpEvent, requestId: string, seen: Seen): Promise<HttpResult> => {
    try {
      const record = records.get(event.routeKey);
      const handler = handlers.get(event.routeKey);
      if (!record || !handler) throw routeNotFound();
      seen.route = record;
      const pathParameters = { ...(event.pathParameters ?? {}) } as Record<string, string>;
      const raw: RawRequest = {
        pathParameters,
        query: { ...(event.queryStringParameters ?? {}) },
        headers: lowerCased(event.headers),
        hasBody: () => event.body !== undefined && event.body !== null && event.body !== '',
        jsonBody: (mediaType, maxBytes) => parseJsonBody(event, mediaType, maxBytes),
      };
      const context: PublicRouteContext = {
        routeKey: event.routeKey,
        requestId,
        pathParameters,
        header: (name: string) => headerOf(event, name),
        bodyDigest: () => bodyDigestOf(event),
      };
      if (!record.isAuthenticated) {
        // A public route's handler is typed without a caller; it never reads one.
        const publicContext = context as Parameters<AnyRouteHandler>[1];
        return render(await runRoute(record, handler, raw, publicContext), requestId);
      }
      const verify = await options.verifier();
      const caller = await verify(headerOf(event, 'authorization'));
      seen.caller = caller;
      options.logger.appendKeys({ tenantId: caller.tenantId });
      requireScopes(record, caller.scopes);
      const handOffRequestRecord = (): RequestRecordHandOff => {
        const status = record.status;
        return {
          record: apiRequestRecord({ event, requestId, route: record, caller, status }),
          committed: () => {
            seen.committedRecordStatus = status;
          },
        };
      };
      return render(
        await runRoute(
          record,
          handler,
          raw,
          { ...context, caller, handOffRequestRecord },
          options.idempotency,
        ),
        requestId,
      );
    } catch (error) {
      return refusal(error, requestId, seen);
    }
  };

  const refusal = (error: unknown, requestId: string, seen: Seen): HttpResult => {
    const result = problemResponse(error, requestId);
    seen.code = (error as DomainError)?.code ?? UNEXPECTED_ERROR_CODE;
    if (result.statusCode !== undefined && result.statusCode >= 500) {
      options.logger.error('request failed', { errorName: (error as Error)?.name, code: seen.code });
    } else {
      options.logger.info('request refused', { code: seen.code, status: result.statusCode });
    }
    return { ...result, headers: { ...SECURITY_HEADERS, ...result.headers } };
  };

  const dispatch = async (event: HttpEvent): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId || randomUUID();
    options.logger.appendKeys({ requestId });
    const seen: Seen = {};
    try {
      const result = await answer(event, requestId, seen);
      if (!options.requestAudit) return result;
      if (seen.committedRecordStatus !== undefined && seen.committedRecordStatus === result.statusCode)
        return result;
      const answered: AnsweredRequest = {
        event,
        requestId,
        route: seen.route,
        caller: seen.caller,
        status: result.statusCode ?? 200,
        code: seen.code,
      };
      try {
        if (!(await recordApiRequest(options.requestAudit, answered)))
          options.logger.warn('request record not written', { status: answered.status });
      } catch (error) {
        return refusal(error, requestId, seen);
      }
      return result;
    } finally {
      options.logger.removeKeys(['requestId', 'tenantId']);
    }
  };

  return middy<HttpEvent, HttpResult, Error, Context>().handler(dispatch);
}

import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { TokenVerifier } from '../auth/token-verifier.ts';
import { DomainError, ForbiddenError } from '../domain/errors.ts';
import type { Logger } from '../observability/logger.ts';
import type {
  HttpEvent,
  HttpRequest,
  HttpResponse,
  HttpResult,
  PublicRouteHandler,
  RouteHandler,
} from './http-types.ts';
import { bodyDigestOf, headerOf, parseJsonBody } from './parse-request.ts';
import { problemResponse } from './problem.ts';
import { type HttpFunctionName, type RouteDefinition, routesOf } from './route-table.ts';

export type RouteHandlers = Readonly<Record<string, RouteHandler | PublicRouteHandler>>;

export interface HttpHandlerOptions {
  readonly functionName: HttpFunctionName;
  readonly logger: Logger;
  /** Resolved lazily so that a cold start that never serves an authenticated route skips it. */
  readonly verifier: () => Promise<TokenVerifier>;
  readonly routes: RouteHandlers;
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
    throw new ForbiddenError(`This operation needs one of the scopes: ${route.scopes.join(', ')}.`);
  }
}

/**
 * The middy chain every HTTP function shares: request id, auth against the route table's scopes,
 * dispatch on `routeKey`, and the one error-to-problem mapping. Handlers stay thin route maps.
 */
export function createHttpHandler(options: HttpHandlerOptions) {
  const table = new Map(routesOf(options.functionName).map((route) => [route.routeKey, route]));
  for (const routeKey of table.keys()) {
    if (!options.routes[routeKey]) throw new Error(`No handler for route ${routeKey}`);
  }

  const dispatch = async (event: HttpEvent): Promise<HttpResult> => {
    const requestId = event.requestContext?.requestId || randomUUID();
    options.logger.appendKeys({ requestId });
    try {
      const route = table.get(event.routeKey);
      const handler = options.routes[event.routeKey];
      if (!route || !handler) throw new DomainError('ROUTE_NOT_FOUND', 'No such route.');
      const base = {
        routeKey: event.routeKey,
        requestId,
        pathParameters: { ...(event.pathParameters ?? {}) } as Record<string, string>,
        query: { ...(event.queryStringParameters ?? {}) } as Record<string, string>,
        header: (name: string) => headerOf(event, name),
        jsonBody: () => parseJsonBody(event),
        hasBody: () => event.body !== undefined && event.body !== null && event.body !== '',
        bodyDigest: () => bodyDigestOf(event),
      };
      if (!route.isAuthenticated) return render(await (handler as PublicRouteHandler)(base), requestId);
      const verify = await options.verifier();
      const caller = await verify(headerOf(event, 'authorization'));
      options.logger.appendKeys({ tenantId: caller.tenantId });
      requireScopes(route, caller.scopes);
      const request: HttpRequest = { ...base, caller };
      return render(await (handler as RouteHandler)(request), requestId);
    } catch (error) {
      const result = problemResponse(error, requestId);
      if (result.statusCode !== undefined && result.statusCode >= 500) {
        options.logger.error('request failed', { errorName: (error as Error)?.name, code: 'INTERNAL_ERROR' });
      } else {
        options.logger.info('request refused', {
          code: (error as DomainError).code,
          status: result.statusCode,
        });
      }
      return { ...result, headers: { ...SECURITY_HEADERS, ...result.headers } };
    } finally {
      options.logger.removeKeys(['requestId', 'tenantId']);
    }
  };

  return middy<HttpEvent, HttpResult, Error, Context>().handler(dispatch);
}

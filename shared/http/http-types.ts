import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Caller } from '../auth/caller.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequest {
  readonly routeKey: string;
  readonly requestId: string;
  readonly caller: Caller;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  header(name: string): string | undefined;
  /** The parsed JSON body; throws MALFORMED_JSON or UNSUPPORTED_MEDIA_TYPE problems. */
  jsonBody(): unknown;
  /** False when the request carries no body at all (optional-body routes treat it as `{}`). */
  hasBody(): boolean;
  /**
   * SHA-256 (hex) of the body bytes exactly as received, whether or not they are valid JSON. The
   * idempotency fingerprint: it never walks or re-serialises the caller's structure.
   */
  bodyDigest(): string;
}

export interface HttpResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: HttpRequest) => Promise<HttpResponse>;
export type PublicRouteHandler = (request: Omit<HttpRequest, 'caller'>) => Promise<HttpResponse>;

export const ok = (body: unknown, headers?: Record<string, string>): HttpResponse => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});
export const created = (body: unknown): HttpResponse => ({ status: 201, body });
export const noContent = (): HttpResponse => ({ status: 204 });

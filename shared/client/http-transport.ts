import type { z } from 'zod';
import type { RouteRecord } from '../http/route-record.ts';
import {
  type CallSite,
  GradiantApiError,
  GradiantNetworkError,
  GradiantResponseError,
} from './client-errors.ts';
import {
  backoffDelayMs,
  isRepeatable,
  RETRIABLE_STATUSES,
  type RetryOptions,
  type RetryPolicy,
  retryAfterSecondsOf,
  retryPolicyOf,
} from './retry-policy.ts';
import type { AlternativeResultOf, RequestParts, ResultOf } from './route-types.ts';

/** A bearer token, or a function the SDK calls before every attempt so the caller can refresh it. */
export type TokenSource = string | (() => string | Promise<string>);

export interface ClientOptions {
  /** The API's base URL, e.g. `https://plugins.example.com` (http only for localhost). */
  readonly endpoint: string;
  readonly token: TokenSource;
  /** Defaults to the global `fetch`; inject one for proxies, tests or instrumentation. */
  readonly fetch?: typeof fetch;
  /** Appended to the SDK's own `user-agent` (`gradiant-plugins-client`), e.g. `acme-ehr/4.2`. */
  readonly userAgent?: string;
  readonly retry?: RetryOptions;
  /** Parse every success body with its route's response schema (default true); see the README. */
  readonly validateResponses?: boolean;
  /** The jitter's randomness (default Math.random). */
  readonly random?: () => number;
}

export interface Answer<Body> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

const USER_AGENT = 'gradiant-plugins-client';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Tokens and PHI travel only over TLS; plain http is for a local platform on this machine. */
function endpointOf(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('endpoint must be an absolute URL such as https://plugins.example.com');
  }
  const isLoopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !isLoopback)
    throw new TypeError('endpoint must use https (http is accepted for localhost only)');
  if (url.search || url.hash) throw new TypeError('endpoint must not carry a query or fragment');
  return url.href.replace(/\/+$/, '');
}

/**
 * Each parameter fills exactly one path segment: `/` is percent-encoded, and `.`/`..` (which URL
 * parsing would resolve, moving a call on `/v1/plugins/{id}/enable` to `/v1/enable`) are refused.
 */
function pathOf(template: string, parameters: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (typeof value !== 'string' || value === '') throw new TypeError(`missing path parameter ${name}`);
    if (value === '.' || value === '..') throw new TypeError(`path parameter ${name} must not be . or ..`);
    return encodeURIComponent(value);
  });
}

/** Query values as the route's schemas read them: strings, arrays joined with commas. */
function queryOf(query: Readonly<Record<string, unknown>> = {}): string {
  const parameters = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    parameters.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = parameters.toString();
  return text ? `?${text}` : '';
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Sends one route's request: path, query, body and headers from the record, the token per
 * attempt, an Idempotency-Key on routes that honour one (the same key on every retry of the call),
 * retries for repeatable calls only, problem answers as GradiantApiError.
 */
export class HttpTransport {
  readonly endpoint: string;
  private readonly token: TokenSource;
  private readonly fetch: typeof fetch;
  private readonly userAgent: string;
  private readonly retry: RetryPolicy;
  private readonly isValidating: boolean;
  private readonly random: () => number;

  constructor(options: ClientOptions) {
    if (options.token === undefined || options.token === '') throw new TypeError('token is required');
    this.endpoint = endpointOf(options.endpoint);
    this.token = options.token;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.userAgent = options.userAgent ? `${USER_AGENT} ${options.userAgent}` : USER_AGENT;
    this.retry = retryPolicyOf(options.retry);
    this.isValidating = options.validateResponses ?? true;
    this.random = options.random ?? Math.random;
  }

  async send<Route extends RouteRecord>(
    record: Route,
    parts: RequestParts = {},
  ): Promise<Answer<ResultOf<Route>>> {
    return (await this.exchange(record, parts, record.response, 'application/json')) as Answer<
      ResultOf<Route>
    >;
  }

  /** The route's second success body (`alternativeResponse`: a FHIR Bundle), in its media type. */
  async sendForAlternative<Route extends RouteRecord>(
    record: Route,
    parts: RequestParts = {},
  ): Promise<Answer<AlternativeResultOf<Route>>> {
    const alternative = record.alternativeResponse;
    if (!alternative) throw new TypeError(`${record.routeKey} has no alternative response`);
    return (await this.exchange(record, parts, alternative.schema, alternative.mediaType)) as Answer<
      AlternativeResultOf<Route>
    >;
  }

  private async exchange(
    record: RouteRecord,
    parts: RequestParts,
    schema: z.ZodType | undefined,
    mediaType: string,
  ): Promise<Answer<unknown>> {
    const [method = 'GET', template = '/'] = record.routeKey.split(' ');
    const site: CallSite = { method, url: `${this.endpoint}${pathOf(template, parts.path)}` };
    const url = `${site.url}${queryOf(parts.query)}`;
    const idempotencyKey =
      parts.headers?.['idempotency-key'] ?? (record.idempotencyScope ? crypto.randomUUID() : undefined);
    const isRetryable = isRepeatable(method, idempotencyKey !== undefined);
    const hasBody = parts.body !== undefined;

    for (let attempt = 1; ; attempt++) {
      const canRetry = isRetryable && attempt < this.retry.attempts;
      const headers: Record<string, string> = {
        accept: `${mediaType}, application/problem+json`,
        'user-agent': this.userAgent,
        ...parts.headers,
        authorization: `Bearer ${await this.resolveToken()}`,
        ...(hasBody ? { 'content-type': record.bodyMediaType ?? 'application/json' } : {}),
        ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
      };
      let response: Response;
      try {
        response = await this.fetch(url, {
          method,
          headers,
          // The API never redirects: one would carry the token elsewhere or turn a POST into a GET.
          redirect: 'manual',
          ...(hasBody ? { body: JSON.stringify(parts.body) } : {}),
        });
      } catch (error) {
        if (!canRetry) throw new GradiantNetworkError(site, error);
        await sleep(backoffDelayMs(this.retry, attempt - 1, this.random));
        continue;
      }
      if (response.ok) return this.answerOf(schema, site, response);

      const body = await bodyOf(response);
      const retryAfterSeconds = retryAfterSecondsOf(response.headers.get('retry-after'), Date.now());
      if (canRetry && RETRIABLE_STATUSES.has(response.status)) {
        const delay =
          retryAfterSeconds === undefined
            ? backoffDelayMs(this.retry, attempt - 1, this.random)
            : retryAfterSeconds * 1000;
        // A server asking for more patience than the caller allows gets its answer, not a shorter wait.
        if (delay <= this.retry.maxDelayMs) {
          await sleep(delay);
          continue;
        }
      }
      throw new GradiantApiError(site, response.status, body, {
        requestId: response.headers.get('x-request-id') ?? undefined,
        retryAfterSeconds,
      });
    }
  }

  private async resolveToken(): Promise<string> {
    const token = typeof this.token === 'function' ? await this.token() : this.token;
    if (typeof token !== 'string' || token === '') throw new TypeError('the token provider gave no token');
    return token;
  }

  private async answerOf(
    schema: z.ZodType | undefined,
    site: CallSite,
    response: Response,
  ): Promise<Answer<unknown>> {
    const raw = response.status === 204 ? undefined : await bodyOf(response);
    if (!schema || !this.isValidating)
      return { status: response.status, headers: response.headers, body: raw };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.') || '(body)',
        message: issue.message,
      }));
      throw new GradiantResponseError(site, response.status, issues);
    }
    return { status: response.status, headers: response.headers, body: parsed.data };
  }
}

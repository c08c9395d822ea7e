import type { z } from 'zod';
import type { RouteRecord } from '../http/route-record.ts';
import {
  type CallSite,
  GradiantApiError,
  GradiantNetworkError,
  GradiantResponseError,
} from './client-errors.ts';
import { endpointOf, pathOf, queryOf } from './request-url.ts';
import {
  backoffDelayMs,
  isRepeatable,
  isRetriableAnswer,
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
  /**
   * How long one attempt may take, from sending to the answer's last byte (default 30 s); a
   * timed-out attempt is a network failure, retried when the call is repeatable.
   */
  readonly timeoutMs?: number;
  /** The jitter's randomness (default Math.random). */
  readonly random?: () => number;
}

export interface Answer<Body> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

const USER_AGENT = 'gradiant-plugins-client';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const jsonOf = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** An answer read in full: the status line and headers, and the body parsed as JSON when it is. */
interface ReadAnswer {
  readonly response: Response;
  readonly body: unknown;
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
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    if (options.token === undefined || options.token === '') throw new TypeError('token is required');
    this.endpoint = endpointOf(options.endpoint);
    this.token = options.token;
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.userAgent = options.userAgent ? `${USER_AGENT} ${options.userAgent}` : USER_AGENT;
    this.retry = retryPolicyOf(options.retry);
    this.isValidating = options.validateResponses ?? true;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? 30_000;
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
      let answer: ReadAnswer;
      try {
        answer = await this.read(url, {
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
      const { response, body } = answer;
      if (response.ok) return this.answerOf(schema, site, answer);

      const retryAfterSeconds = retryAfterSecondsOf(response.headers.get('retry-after'), Date.now());
      if (canRetry && isRetriableAnswer(response.status, body, idempotencyKey !== undefined)) {
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

  /** One attempt, bounded by `timeoutMs` from sending to the last byte of the body. */
  private async read(url: string, init: RequestInit): Promise<ReadAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`no complete answer within ${this.timeoutMs} ms`)),
      this.timeoutMs,
    );
    try {
      const response = await this.fetch(url, { ...init, signal: controller.signal });
      return { response, body: jsonOf(await response.text()) };
    } finally {
      clearTimeout(timer);
    }
  }

  private answerOf(schema: z.ZodType | undefined, site: CallSite, answer: ReadAnswer): Answer<unknown> {
    const { response } = answer;
    const raw = response.status === 204 ? undefined : answer.body;
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

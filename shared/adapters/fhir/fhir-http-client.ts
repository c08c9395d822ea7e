import { ehrUnavailable } from '../../domain/errors/ehr-errors.ts';
import type { Clock } from '../../ports/clock.ts';
import { type FhirTransport, FhirTransportError } from './fhir-transport.ts';

export interface FhirHttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Sent as `application/fhir+json`. */
  readonly json?: unknown;
  /** Sent as `application/x-www-form-urlencoded` (the token request). */
  readonly form?: Readonly<Record<string, string>> | undefined;
}

export interface FhirHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; undefined when empty or not JSON. */
  readonly body: unknown;
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;
}

export interface FhirHttpClientOptions {
  readonly transport: FhirTransport;
  readonly clock: Clock;
  /** Injected so tests need not wait; resolves after `ms`. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  /** In [0, 1): the jitter of each backoff. */
  readonly random?: (() => number) | undefined;
  readonly maxAttempts?: number | undefined;
  readonly baseDelayMs?: number | undefined;
  readonly maxDelayMs?: number | undefined;
  /** One attempt never waits longer than this, whatever the deadline leaves. */
  readonly maxAttemptMs?: number | undefined;
}

/**
 * A create (POST) the server may have carried out before failing is not sent again, or a lost
 * answer would book twice: only 429 and 503 (the server says it did nothing) are retried for it.
 * The token request is a POST too, but asking twice for a token is harmless.
 */
const isRepeatable = (request: FhirHttpRequest) => request.method !== 'POST' || request.form !== undefined;
const isRetryableStatus = (request: FhirHttpRequest, status: number) =>
  status === 429 || status === 503 || (status >= 500 && isRepeatable(request));

/**
 * Every HTTP exchange of the FHIR adapter. 429, 5xx and network failures are tried again with
 * exponential backoff and full jitter (at least what `Retry-After` asks), but only while the
 * caller's deadline leaves room for the wait and another attempt; each attempt's time limit ends
 * at the deadline too. The last answer is returned as it is (the caller maps statuses to EHR
 * errors); an exchange that never got an answer fails EHR_UNAVAILABLE with a fixed reason.
 */
export class FhirHttpClient {
  private readonly options: Required<FhirHttpClientOptions>;

  constructor(options: FhirHttpClientOptions) {
    this.options = {
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      random: Math.random,
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 5_000,
      maxAttemptMs: 15_000,
      ...stripUndefined(options),
    } as Required<FhirHttpClientOptions>;
  }

  async send(request: FhirHttpRequest, deadlineAt: number): Promise<FhirHttpResponse> {
    const { clock, sleep, maxAttempts } = this.options;
    for (let attempt = 1; ; attempt += 1) {
      const remaining = deadlineAt - clock.now().getTime();
      if (remaining <= 0) throw ehrUnavailable('timed out');
      let response: FhirHttpResponse;
      try {
        response = await this.attempt(request, Math.min(remaining, this.options.maxAttemptMs));
      } catch (error) {
        if (!(error instanceof FhirTransportError)) throw error;
        if (error.failure === 'address-not-allowed') throw ehrUnavailable('address not allowed', error);
        if (error.failure === 'too-large') throw ehrUnavailable('response too large', error);
        const timedOut = clock.now().getTime() >= deadlineAt;
        const delay = this.backoff(attempt, undefined);
        if (timedOut || !isRepeatable(request) || attempt >= maxAttempts || !this.fits(delay, deadlineAt)) {
          throw ehrUnavailable(timedOut ? 'timed out' : 'unreachable', error);
        }
        await sleep(delay);
        continue;
      }
      if (!isRetryableStatus(request, response.status) || attempt >= maxAttempts) return response;
      const delay = this.backoff(attempt, response.retryAfterSeconds);
      if (!this.fits(delay, deadlineAt)) return response;
      await sleep(delay);
    }
  }

  private async attempt(request: FhirHttpRequest, timeoutMs: number): Promise<FhirHttpResponse> {
    const headers: Record<string, string> = { accept: 'application/fhir+json', ...request.headers };
    let body: string | undefined;
    if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    } else if (request.json !== undefined) {
      headers['content-type'] = 'application/fhir+json';
      body = JSON.stringify(request.json);
    }
    const answer = await this.options.transport(
      request.url,
      { method: request.method, headers, ...(body === undefined ? {} : { body }) },
      timeoutMs,
    );
    const lowered = Object.fromEntries(
      Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    return {
      status: answer.status,
      headers: lowered,
      body: parseJson(answer.body),
      retryAfterSeconds: retryAfterSeconds(lowered['retry-after'], this.options.clock.now().getTime()),
    };
  }

  /** Full jitter over the exponential step, never less than what the server asked for. */
  private backoff(attempt: number, retryAfter: number | undefined): number {
    const { baseDelayMs, maxDelayMs, random } = this.options;
    const step = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const jittered = Math.floor(random() * step);
    return retryAfter === undefined ? jittered : Math.max(jittered, retryAfter * 1000);
  }

  /** A wait is worth it only if another attempt can still start before the deadline. */
  private fits(delay: number, deadlineAt: number): boolean {
    return this.options.clock.now().getTime() + delay < deadlineAt;
  }
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as Partial<T>;
}

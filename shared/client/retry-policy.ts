/**
 * When the SDK tries a call again. Only a call that is safe to repeat is retried: GET, PUT and
 * DELETE, and a POST that carries an Idempotency-Key (the server replays its first answer). A POST
 * without one (invoke, a marketplace install) may have run once already, so its failure is final.
 */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 turns retries off). */
  readonly attempts?: number;
  /** The first backoff's ceiling in ms (default 200); it doubles per attempt. */
  readonly baseDelayMs?: number;
  /** No backoff is longer than this, and a Retry-After beyond it is not waited for (default 20 s). */
  readonly maxDelayMs?: number;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

const RETRIABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Answers worth another attempt of a repeatable call: "not now" statuses, and the replay store's
 * "the first request with this key is still running" (the usual answer to a retry after a lost
 * connection), which settles once the first one ends.
 */
export function isRetriableAnswer(status: number, body: unknown, hasIdempotencyKey: boolean): boolean {
  if (RETRIABLE_STATUSES.has(status)) return true;
  const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  return hasIdempotencyKey && status === 409 && code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
}
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

export function retryPolicyOf(options: RetryOptions = {}): RetryPolicy {
  const attempts = Math.max(1, Math.floor(options.attempts ?? 3));
  const baseDelayMs = Math.max(0, options.baseDelayMs ?? 200);
  const maxDelayMs = Math.max(baseDelayMs, options.maxDelayMs ?? 20_000);
  return { attempts, baseDelayMs, maxDelayMs };
}

export const isRepeatable = (method: string, hasIdempotencyKey: boolean): boolean =>
  IDEMPOTENT_METHODS.has(method) || (method === 'POST' && hasIdempotencyKey);

/**
 * "Full jitter" exponential backoff: a uniform draw in [0, min(max, base·2^retry)], so clients
 * that failed together do not come back together.
 */
export function backoffDelayMs(policy: RetryPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** RFC 9110 §10.2.3: delay-seconds or an HTTP-date; anything else is ignored. */
export function retryAfterSecondsOf(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

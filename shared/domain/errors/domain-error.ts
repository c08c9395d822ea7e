import type { ErrorCode } from './error-codes.ts';

export type { ErrorCode } from './error-codes.ts';

/** One field at fault and what is wrong with it; never the value, which may be PHI. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * Stable facts about a refusal a client may act on (say `state` and `stateReason`), rendered as
 * problem extension members. Ids and enum values only: never PHI, never free text from a request.
 */
export type ErrorFacts = Readonly<Record<string, string>>;

/**
 * Structured members a refusal carries beyond flat facts (say the `findings` of a dependency
 * scan: package, version, advisory id, severity), rendered as problem extension members too.
 * Ids, versions and enum values only, as for facts.
 */
export type ErrorDetails = Readonly<Record<string, readonly Readonly<Record<string, string>>[]>>;

export interface DomainErrorOptions {
  readonly field?: string | undefined;
  readonly errors?: readonly FieldIssue[] | undefined;
  readonly cause?: unknown;
  /** For "not now" refusals (429, 503): seconds after which trying again may succeed. */
  readonly retryAfterSeconds?: number | undefined;
  readonly facts?: ErrorFacts | undefined;
  readonly details?: ErrorDetails | undefined;
}

/**
 * The one error class of the platform. It carries a stable UPPER_SNAKE `code` (a key of the table
 * in error-codes.ts, so an unlisted code does not compile) and a message safe to show a caller
 * (ids only, never PHI). It knows nothing of HTTP: shared/http/problem.ts maps codes to statuses.
 * Every refusal is built by its named factory in this folder, one module per family of codes;
 * callers tell refusals apart by code (`hasErrorCode`), never by class.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly errors: readonly FieldIssue[];
  readonly retryAfterSeconds: number | undefined;
  readonly facts: ErrorFacts;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.field = options.field;
    this.errors = options.errors ?? (options.field ? [{ field: options.field, message }] : []);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.facts = options.facts ?? {};
    this.details = options.details ?? {};
  }

  /** The same refusal with its fields renamed (say, located in the request that carried them). */
  withFields(rename: (field: string) => string): DomainError {
    return new DomainError(this.code, this.message, {
      ...(this.field === undefined ? {} : { field: rename(this.field) }),
      errors: this.errors.map((issue) => ({ ...issue, field: rename(issue.field) })),
      cause: this.cause,
      retryAfterSeconds: this.retryAfterSeconds,
      facts: this.facts,
      details: this.details,
    });
  }
}

/** A refusal with one of these codes (any of them when none is given). */
export function hasErrorCode(error: unknown, ...codes: readonly ErrorCode[]): error is DomainError {
  return error instanceof DomainError && (codes.length === 0 || codes.includes(error.code));
}

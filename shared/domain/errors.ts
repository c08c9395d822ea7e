import type { z } from 'zod';
import type { ErrorCode } from './error-codes.ts';

export type { ErrorCode } from './error-codes.ts';

/**
 * Domain errors carry a stable UPPER_SNAKE `code` and a message that is safe to show a caller
 * (ids only, never PHI). They know nothing of HTTP: shared/http/problem.ts maps codes to statuses.
 * The code is an `ErrorCode`, a key of the table in error-codes.ts, so an unlisted code is a
 * compile error rather than a silent 400.
 */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * Stable facts about a refusal a client may act on (say `state` and `stateReason`), rendered as
 * problem extension members. Ids and enum values only: never PHI, never free text from a request.
 */
export type ErrorFacts = Readonly<Record<string, string>>;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly errors: readonly FieldIssue[];
  /** For "not now" refusals (429, 503): seconds after which trying again may succeed. */
  readonly retryAfterSeconds: number | undefined;
  readonly facts: ErrorFacts;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      field?: string;
      errors?: readonly FieldIssue[];
      cause?: unknown;
      retryAfterSeconds?: number | undefined;
      facts?: ErrorFacts;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.field = options.field;
    this.errors = options.errors ?? (options.field ? [{ field: options.field, message }] : []);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.facts = options.facts ?? {};
  }

  /** The same refusal with its fields renamed (say, located in the request that carried them). */
  withFields(rename: (field: string) => string): DomainError {
    return new DomainError(this.code, this.message, {
      ...(this.field === undefined ? {} : { field: rename(this.field) }),
      errors: this.errors.map((issue) => ({ ...issue, field: rename(issue.field) })),
      cause: this.cause,
      retryAfterSeconds: this.retryAfterSeconds,
      facts: this.facts,
    });
  }
}

export class ValidationError extends DomainError {
  constructor(errors: readonly FieldIssue[], message = 'The request is not valid.') {
    super('VALIDATION_FAILED', message, { errors, field: errors[0]?.field });
  }
}

/**
 * A pagination cursor this API did not issue for this caller and this list: forged, edited,
 * truncated, expired by a key change or pasted from another tenant or list.
 */
export class InvalidCursorError extends DomainError {
  constructor(cause?: unknown) {
    super('INVALID_CURSOR', 'The cursor is not one this API issued for this list; start again without it.', {
      field: 'query.cursor',
      cause,
    });
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required.', cause?: unknown) {
    super('UNAUTHENTICATED', message, { cause });
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'The token does not carry the scope this operation needs.') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
  }
}

export class ConflictError extends DomainError {}

/** Too much at once for this tenant (or the platform): the caller should retry after a while. */
export class RateLimitedError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super('RATE_LIMITED', message, { retryAfterSeconds });
  }
}

/** Names every field at fault (`prefix.path`), never its value: a value may be PHI. */
export function validationErrorFrom(error: z.ZodError, prefix?: string): ValidationError {
  return new ValidationError(
    error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return {
        field: [prefix, path].filter(Boolean).join('.') || (prefix ?? 'body'),
        message: issue.message,
      };
    }),
  );
}

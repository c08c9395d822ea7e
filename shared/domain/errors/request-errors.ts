import type { z } from 'zod';
import { DomainError, type FieldIssue } from './domain-error.ts';

/** Requests the API could not read: malformed, mistyped, oversized, or at no route. */

export const validationFailed = (errors: readonly FieldIssue[], message = 'The request is not valid.') =>
  new DomainError('VALIDATION_FAILED', message, { errors, field: errors[0]?.field });

/** Names every field at fault (`prefix.path`), never its value: a value may be PHI. */
export function validationErrorFrom(error: z.ZodError, prefix?: string): DomainError {
  return validationFailed(
    error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      return {
        field: [prefix, path].filter(Boolean).join('.') || (prefix ?? 'body'),
        message: issue.message,
      };
    }),
  );
}

export const malformedJson = (message = 'The request body is not valid JSON.') =>
  new DomainError('MALFORMED_JSON', message, { field: 'body' });

export const unsupportedMediaType = (mediaType: string) =>
  new DomainError('UNSUPPORTED_MEDIA_TYPE', `Send the body as ${mediaType}.`, {
    field: 'headers.content-type',
  });

export const payloadTooLarge = (maxBytes: number, what: 'body' | 'request' = 'body') =>
  new DomainError('PAYLOAD_TOO_LARGE', `The ${what} exceeds ${maxBytes} bytes.`, {
    ...(what === 'body' ? { field: 'body' } : {}),
  });

export const routeNotFound = (message = 'No such route.') => new DomainError('ROUTE_NOT_FOUND', message);

/**
 * A pagination cursor this API did not issue for this caller and this list: forged, edited,
 * truncated, expired by a key change or pasted from another tenant or list.
 */
export const invalidCursor = (cause?: unknown, field = 'query.cursor') =>
  new DomainError(
    'INVALID_CURSOR',
    'The cursor is not one this API issued for this list; start again without it.',
    {
      field,
      cause,
    },
  );

const IDEMPOTENCY_KEY_FIELD = 'headers.idempotency-key';

export const invalidIdempotencyKey = () =>
  new DomainError('VALIDATION_FAILED', 'Idempotency-Key must be 8 to 128 characters of [A-Za-z0-9._:-].', {
    field: IDEMPOTENCY_KEY_FIELD,
  });

export const idempotencyKeyReused = () =>
  new DomainError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body.', {
    field: IDEMPOTENCY_KEY_FIELD,
  });

export const idempotencyRequestInProgress = () =>
  new DomainError(
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    'A request with this Idempotency-Key is still running.',
    {
      field: IDEMPOTENCY_KEY_FIELD,
    },
  );

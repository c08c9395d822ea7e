import { DomainError } from './domain-error.ts';

/** Who is asking: no valid token (401), or a token without the right to do this (403). */

export const unauthenticated = (message = 'A valid bearer token is required.', cause?: unknown) =>
  new DomainError('UNAUTHENTICATED', message, { cause });

export const forbidden = (message = 'The token does not carry the scope this operation needs.') =>
  new DomainError('FORBIDDEN', message);

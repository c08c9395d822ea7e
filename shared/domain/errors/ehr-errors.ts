import { DomainError } from './domain-error.ts';

/**
 * The tenant's EHR, as the plugin API behind the sandbox reaches it. Messages carry resource
 * types, ids and HTTP statuses only: never an OperationOutcome's text, which may quote PHI.
 */

export const appointmentExists = (cause?: unknown) =>
  new DomainError('APPOINTMENT_EXISTS', 'An appointment with this id already exists.', {
    field: 'id',
    cause,
  });

export const ehrNotConnected = () =>
  new DomainError('EHR_NOT_CONNECTED', 'This tenant has not registered an EHR connection.');

/** The connection routes' answer for a tenant with none: GET and the test route, never the plugin API. */
export const ehrConnectionNotFound = () =>
  new DomainError(
    'EHR_CONNECTION_NOT_FOUND',
    'This tenant has not registered an EHR connection; PUT one first.',
  );

/** `reference` is `Type/id`. */
export const ehrConflict = (reference: string, cause?: unknown) =>
  new DomainError('EHR_CONFLICT', `${reference} changed in the EHR since it was read.`, { cause });

export const ehrRateLimited = (retryAfterSeconds: number | undefined, cause?: unknown) =>
  new DomainError('EHR_RATE_LIMITED', 'The EHR is rate limiting the platform.', { retryAfterSeconds, cause });

/** `reason` is a status or a fixed phrase ("HTTP 503", "timed out", "unreachable"), never a server's text. */
export const ehrUnavailable = (reason: string, cause?: unknown) =>
  new DomainError('EHR_UNAVAILABLE', `The EHR could not be reached (${reason}).`, { cause });

export const ehrRefused = (status: number, cause?: unknown) =>
  new DomainError('EHR_REFUSED', `The EHR refused the platform's credentials (HTTP ${status}).`, { cause });

export const ehrRejected = (status: number, cause?: unknown) =>
  new DomainError('EHR_REJECTED', `The EHR rejected the request (HTTP ${status}).`, { cause });

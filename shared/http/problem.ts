import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '../domain/errors/domain-error.ts';
import {
  type AnswerCode,
  ERROR_CODES,
  type ErrorCode,
  UNEXPECTED_ERROR_CODE,
} from '../domain/errors/error-codes.ts';

/** Statuses a DomainError may answer: client errors, and 503 for "nothing ran, retry later". */
// 502: an upstream the platform depends on for the answer (the tenant's EHR) failed; never a 500.
type RefusalStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 502 | 503;

/**
 * The single table from error code to HTTP status. `satisfies Record<ErrorCode, …>` makes the
 * compiler refuse a code without a status (and a status for a code that does not exist), so no
 * code falls back to a guess. No DomainError is a 500: that is kept for unexpected errors.
 */
export const STATUS_BY_CODE = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_CURSOR: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,

  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,

  INVALID_MANIFEST: 400,
  INVALID_ARTIFACT: 400,
  ARTIFACT_TOO_LARGE: 413,
  VULNERABLE_DEPENDENCY: 422,
  SIGNATURE_REQUIRED: 422,
  SIGNATURE_INVALID: 422,
  UNTRUSTED_PUBLISHER_KEY: 422,
  ARTIFACT_TAMPERED: 422,
  ARTIFACT_UNVERIFIED: 422,

  PERMISSION_NOT_ALLOWED: 422,
  POLICY_VIOLATION: 422,
  PUBLISHER_NOT_VERIFIED: 422,

  PLUGIN_NOT_FOUND: 404,
  ALREADY_INSTALLED: 409,
  CONCURRENT_MODIFICATION: 409,
  PRECONDITION_FAILED: 412,
  PRECONDITION_REQUIRED: 428,
  ILLEGAL_TRANSITION: 409,
  PLUGIN_NOT_ENABLED: 409,
  // The request conflicts with the installation's current version (it is that version already);
  // like DOWNGRADE_REFUSED it will not succeed until the installed version changes.
  VERSION_NOT_NEWER: 409,
  DOWNGRADE_REFUSED: 409,

  VERSION_NOT_FOUND: 404,
  VERSION_EXISTS: 409,
  VERSION_YANKED: 409,
  VERSION_REVOKED: 409,
  ILLEGAL_RELEASE_TRANSITION: 409,
  REVIEW_NOT_FOUND: 404,
  REVIEWER_NOT_INSTALLER: 403,
  REVIEW_ALREADY_REPLIED: 409,
  NOT_PLUGIN_OWNER: 403,
  UPLOAD_NOT_FOUND: 422,
  PUBLISHER_KEY_INVALID: 400,
  PUBLISHER_KEY_EXISTS: 409,
  PUBLISHER_KEY_REVOKED: 422,
  PUBLISHER_KEY_NOT_FOUND: 404,
  KEY_POSSESSION_UNPROVEN: 422,
  KEY_PROOF_EXPIRED: 422,
  PUBLISHER_PROOF_NOT_FOUND: 422,
  PUBLISHER_DOMAIN_NOT_ALLOWED: 422,

  APPOINTMENT_EXISTS: 409,
  EHR_NOT_CONNECTED: 409,
  EHR_CONNECTION_NOT_FOUND: 404,
  EHR_CONFLICT: 409,
  // The EHR is upstream of the platform: its failures are gateway failures, not the caller's.
  EHR_RATE_LIMITED: 503,
  EHR_UNAVAILABLE: 502,
  EHR_REFUSED: 502,
  EHR_REJECTED: 502,

  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_LIMIT_REACHED: 409,
  WEBHOOK_URL_NOT_ALLOWED: 422,

  RATE_LIMITED: 429,
  EXECUTION_UNAVAILABLE: 503,
  AUDIT_UNAVAILABLE: 503,
  NOTIFICATIONS_UNAVAILABLE: 503,
  REVIEW_WRITES_UNAVAILABLE: 503,
  // The publisher's DNS or web server timed out or failed: nothing was written, check again later.
  PUBLISHER_PROOF_UNREACHABLE: 503,
} as const satisfies Record<ErrorCode, RefusalStatus>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: AnswerCode;
  errors?: { field: string; message: string }[];
  /** Stable extension members from the error's facts (say `state`, `stateReason`); ids only. */
  [extension: string]: unknown;
}

/** The status of a listed code; undefined only for a code smuggled past the compiler. */
export function statusOf(error: DomainError): number | undefined {
  return Object.hasOwn(STATUS_BY_CODE, error.code) ? STATUS_BY_CODE[error.code] : undefined;
}

const problemType = (code: string) => `/problems/${code.toLowerCase().replaceAll('_', '-')}`;

export function toProblem(error: unknown, requestId: string): Problem {
  const status = error instanceof DomainError ? statusOf(error) : undefined;
  if (error instanceof DomainError && status !== undefined) {
    return {
      ...error.facts,
      ...error.details,
      type: problemType(error.code),
      title: ERROR_CODES[error.code].title,
      status,
      detail: error.message,
      instance: requestId,
      code: error.code,
      ...(error.errors.length > 0 ? { errors: error.errors.map((issue) => ({ ...issue })) } : {}),
    };
  }
  return {
    type: problemType(UNEXPECTED_ERROR_CODE),
    title: 'Internal error',
    status: 500,
    detail: `An unexpected error occurred. Quote request id ${requestId} when reporting it.`,
    instance: requestId,
    code: UNEXPECTED_ERROR_CODE,
  };
}

export function problemResponse(error: unknown, requestId: string): APIGatewayProxyStructuredResultV2 {
  const problem = toProblem(error, requestId);
  const retryAfter = error instanceof DomainError ? error.retryAfterSeconds : undefined;
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'x-request-id': requestId,
      // RFC 9110 §10.2.3: delay-seconds, a non-negative integer.
      ...(retryAfter === undefined ? {} : { 'retry-after': String(Math.max(0, Math.ceil(retryAfter))) }),
    },
    body: JSON.stringify(problem),
  };
}

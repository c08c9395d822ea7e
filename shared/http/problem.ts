import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, DomainError, ForbiddenError, NotFoundError } from '../domain/errors.ts';

/**
 * The single table from error code to HTTP status. Codes not listed default by error class:
 * anything unknown is a 500 whose detail never echoes the original message.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_CURSOR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  ROUTE_NOT_FOUND: 404,
  PLUGIN_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_MANIFEST: 400,
  INVALID_ARTIFACT: 400,
  ARTIFACT_TOO_LARGE: 413,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,
  VULNERABLE_DEPENDENCY: 422,
  SIGNATURE_REQUIRED: 422,
  SIGNATURE_INVALID: 422,
  UNTRUSTED_PUBLISHER_KEY: 422,
  ARTIFACT_TAMPERED: 422,
  ARTIFACT_UNVERIFIED: 422,
  PERMISSION_NOT_ALLOWED: 422,
  POLICY_VIOLATION: 422,
  ALREADY_INSTALLED: 409,
  CONCURRENT_MODIFICATION: 409,
  PRECONDITION_FAILED: 412,
  PRECONDITION_REQUIRED: 428,
  ILLEGAL_TRANSITION: 409,
  PLUGIN_NOT_ENABLED: 409,
  DOWNGRADE_REFUSED: 409,
  VERSION_YANKED: 409,
  VERSION_REVOKED: 409,
  VERSION_NOT_FOUND: 404,
  REVIEW_NOT_FOUND: 404,
  VERSION_EXISTS: 409,
  NOT_PLUGIN_OWNER: 403,
  PUBLISHER_KEY_INVALID: 400,
  PUBLISHER_KEY_EXISTS: 409,
  PUBLISHER_KEY_REVOKED: 422,
  PUBLISHER_KEY_NOT_FOUND: 404,
  KEY_POSSESSION_UNPROVEN: 422,
  KEY_PROOF_EXPIRED: 422,
  UPLOAD_NOT_FOUND: 422,
  ILLEGAL_RELEASE_TRANSITION: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  EXECUTION_UNAVAILABLE: 503,
};

const TITLE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: { field: string; message: string }[];
}

export function statusOf(error: DomainError): number {
  const byCode = STATUS_BY_CODE[error.code];
  if (byCode !== undefined) return byCode;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof ForbiddenError) return 403;
  return 400;
}

export function toProblem(error: unknown, requestId: string): Problem {
  if (error instanceof DomainError) {
    const status = statusOf(error);
    return {
      type: `/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLE_BY_STATUS[status] ?? 'Error',
      status,
      detail: error.message,
      instance: requestId,
      code: error.code,
      ...(error.errors.length > 0 ? { errors: error.errors.map((issue) => ({ ...issue })) } : {}),
    };
  }
  return {
    type: '/problems/internal-error',
    title: TITLE_BY_STATUS[500] as string,
    status: 500,
    detail: `An unexpected error occurred. Quote request id ${requestId} when reporting it.`,
    instance: requestId,
    code: 'INTERNAL_ERROR',
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

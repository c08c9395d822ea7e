import type { ErrorCode } from '../domain/errors/error-codes.ts';
import { STATUS_BY_CODE } from './problem.ts';
import type { HttpFunctionName, RouteRecord } from './route-record.ts';

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The request failed its schema (errors[] names each field)',
  401: 'No valid bearer token',
  403: 'The token lacks every scope this operation accepts',
  404: 'No such resource in the caller’s tenant',
  409: 'Conflicts with the resource’s current state',
  412: 'If-Match names a version that is no longer current',
  413: 'The body or artifact is too large',
  415: 'The body is not in the media type this operation takes',
  422: 'Well-formed but refused by a rule (signature, policy, advisory)',
  428: 'This operation requires If-Match',
  429: 'Too many requests; retry after Retry-After',
  502: 'An upstream the answer depends on (the tenant’s EHR) failed or refused',
  503: 'Nothing ran; retry after Retry-After',
};

/**
 * The functions whose answers wait for the request's audit record (every one but `platform`, whose
 * wiring sets `requestAudit: null`): a read whose record cannot be written fails closed with a 503
 * `AUDIT_UNAVAILABLE` rather than answer unaccounted for.
 */
const UNAUDITED_FUNCTIONS: ReadonlySet<HttpFunctionName> = new Set(['platform']);

/** The codes each status can carry, from the one table, so the document lists no code twice or never. */
const CODES_BY_STATUS = (Object.entries(STATUS_BY_CODE) as [ErrorCode, number][]).reduce(
  (byStatus, [code, status]) => byStatus.set(status, [...(byStatus.get(status) ?? []), code]),
  new Map<number, ErrorCode[]>(),
);

const problemDescriptionOf = (status: number): string => {
  const codes = CODES_BY_STATUS.get(status) ?? [];
  const summary = PROBLEM_DESCRIPTIONS[status] ?? 'An RFC 9457 problem';
  return codes.length === 0 ? summary : `${summary}. Codes: ${codes.map((code) => `\`${code}\``).join(', ')}`;
};

/** The 4xx and 5xx a route's shape implies, plus those its record documents. */
export function problemStatusesOf(record: RouteRecord): number[] {
  const { request } = record;
  const statuses = new Set<number>(record.problems ?? []);
  if (request.path || request.query || request.headers || request.body) statuses.add(400);
  if (record.isAuthenticated) {
    statuses.add(401);
    statuses.add(403);
  }
  if (request.path) statuses.add(404);
  if (request.body) {
    statuses.add(413);
    statuses.add(415);
  }
  if (record.routeKey.startsWith('GET ') && !UNAUDITED_FUNCTIONS.has(record.function)) statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * API Gateway's stage throttle (AWS only) answers any route with its own 429 body before a
 * function runs: not a problem document, so it is described as what it is.
 */
const THROTTLED_CONTENT = {
  'application/json': {
    schema: {
      type: 'object',
      description: "API Gateway's throttling answer (AWS only), before any function runs",
      properties: { message: { type: 'string', const: 'Too Many Requests' } },
    },
  },
};

function problemResponseOf(status: number) {
  return {
    description: problemDescriptionOf(status),
    ...(status === 429 || status === 503
      ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } }
      : {}),
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            { $ref: '#/components/schemas/Problem' },
            { properties: { status: { const: status }, code: { enum: CODES_BY_STATUS.get(status) ?? [] } } },
          ],
        },
      },
    },
  };
}

const responseNameOf = (status: number) => `Problem${status}`;
const THROTTLED = 'Throttled';

/**
 * The problem responses a route answers, keyed by status, as refs into `components.responses`
 * (one description per status, however many routes answer it), and the gateway's 429 on every route.
 */
export function problemResponsesOf(record: RouteRecord): Record<string, { $ref: string }> {
  const statuses = problemStatusesOf(record);
  const refs = Object.fromEntries(
    statuses.map((status) => [String(status), { $ref: `#/components/responses/${responseNameOf(status)}` }]),
  );
  return statuses.includes(429) ? refs : { ...refs, '429': { $ref: `#/components/responses/${THROTTLED}` } };
}

/** The `components.responses` the given records refer to. */
export function problemComponentsOf(records: readonly RouteRecord[]): Record<string, object> {
  const statuses = [...new Set(records.flatMap(problemStatusesOf))].sort((a, b) => a - b);
  const responses: Record<string, object> = {};
  for (const status of statuses) {
    const response = problemResponseOf(status);
    responses[responseNameOf(status)] =
      status === 429
        ? {
            ...response,
            description: `${response.description}; in AWS also the API's throttle`,
            content: { ...response.content, ...THROTTLED_CONTENT },
          }
        : response;
  }
  if (records.some((record) => !problemStatusesOf(record).includes(429)))
    responses[THROTTLED] = {
      description: "The API's throttle (AWS only): retry later",
      content: THROTTLED_CONTENT,
    };
  return responses;
}

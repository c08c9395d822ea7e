import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateLimited } from '../../../../shared/domain/errors/capacity-errors.ts';
import { DomainError } from '../../../../shared/domain/errors/domain-error.ts';
import { ERROR_CODES, type ErrorCode } from '../../../../shared/domain/errors/error-codes.ts';
import { validationFailed } from '../../../../shared/domain/errors/request-errors.ts';
import {
  PROBLEM_CONTENT_TYPE,
  problemResponse,
  STATUS_BY_CODE,
  toProblem,
} from '../../../../shared/http/problem.ts';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];
/** The one DomainError that is a 5xx: the run-lease store could not be reached, nothing ran. */
const NOT_NOW_CODES: readonly ErrorCode[] = [
  'EXECUTION_UNAVAILABLE',
  'AUDIT_UNAVAILABLE',
  'NOTIFICATIONS_UNAVAILABLE',
  'REVIEW_WRITES_UNAVAILABLE',
  'PUBLISHER_PROOF_UNREACHABLE',
];
/** The tenant's EHR failed upstream of the platform: gateway failures, never a 500. */
const UPSTREAM_CODES: readonly ErrorCode[] = [
  'EHR_RATE_LIMITED',
  'EHR_UNAVAILABLE',
  'EHR_REFUSED',
  'EHR_REJECTED',
];

describe('toProblem', () => {
  it('renders a validation error as a 400 problem naming the fields at fault', () => {
    const error = validationFailed([{ field: 'body.version', message: 'must be semver' }]);

    const problem = toProblem(error, 'req-1');

    expect(problem).toEqual({
      type: '/problems/validation-failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'The request is not valid.',
      instance: 'req-1',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body.version', message: 'must be semver' }],
    });
  });

  it.each(CODES)('renders %s with the status and title of its table entry', (code) => {
    const problem = toProblem(new DomainError(code, 'Safe message.'), 'r');

    expect(problem).toMatchObject({
      status: STATUS_BY_CODE[code],
      title: ERROR_CODES[code].title,
      code,
      type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      detail: 'Safe message.',
    });
  });

  it('does not compile an unknown code, and answers a 500 if one is smuggled past the compiler', () => {
    // @ts-expect-error SOME_UNKNOWN_CODE is not in ERROR_CODES.
    const smuggled = new DomainError('SOME_UNKNOWN_CODE', 'Not listed.');

    const problem = toProblem(smuggled, 'r');

    expect(problem).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(problem.detail).not.toContain('Not listed');
  });

  it('answers VERSION_NOT_NEWER as a 409 conflict with the installed version', () => {
    const problem = toProblem(
      new DomainError('VERSION_NOT_NEWER', 'Version 1.0.0 is already installed.'),
      'r',
    );

    expect(problem.status).toBe(409);
  });

  it('renders the error facts as extension members without overriding the standard ones', () => {
    const error = new DomainError('PLUGIN_NOT_ENABLED', 'Disabled.', {
      facts: { state: 'disabled', stateReason: 'auto:error-rate', status: '200' },
    });

    const problem = toProblem(error, 'r');

    expect(problem).toMatchObject({ state: 'disabled', stateReason: 'auto:error-rate', status: 409 });
  });

  it('never echoes the message of an unknown error and quotes the request id instead', () => {
    const problem = toProblem(new Error('patient Jane Doe born 1970-01-01 broke it'), 'req-42');

    expect(problem.status).toBe(500);
    expect(problem.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(problem)).not.toContain('Jane');
    expect(problem.detail).toContain('req-42');
  });

  it('answers application/problem+json with the request id header', () => {
    const response = problemResponse(new DomainError('MALFORMED_JSON', 'Bad JSON.'), 'req-7');

    expect(response.statusCode).toBe(400);
    expect(response.headers).toMatchObject({ 'content-type': PROBLEM_CONTENT_TYPE, 'x-request-id': 'req-7' });
  });

  it('answers a rate limit as 429 RATE_LIMITED with Retry-After in whole seconds', () => {
    const response = problemResponse(rateLimited('Too many runs.', 2.2), 'req-8');

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '3', 'content-type': PROBLEM_CONTENT_TYPE });
    expect(JSON.parse(String(response.body))).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('always yields a status between 400 and 599 with an UPPER_SNAKE code, whatever is thrown', () => {
    fc.assert(
      fc.property(fc.anything(), (thrown) => {
        const problem = toProblem(thrown, 'r');

        expect(problem.status).toBeGreaterThanOrEqual(400);
        expect(problem.status).toBeLessThan(600);
        expect(problem.code).toMatch(/^[A-Z][A-Z_]*$/);
      }),
    );
  });

  it('never answers a DomainError with a 5xx, except "nothing ran, retry later" and the EHR’s own failures', () => {
    const facts = fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z]{0,15}$/), fc.string({ maxLength: 20 }));
    const issues = fc.array(fc.record({ field: fc.string(), message: fc.string() }), { maxLength: 3 });
    fc.assert(
      fc.property(fc.constantFrom(...CODES), fc.string(), facts, issues, (code, message, extra, errors) => {
        const problem = toProblem(new DomainError(code, message, { facts: extra, errors }), 'r');

        expect(problem.status).toBeGreaterThanOrEqual(400);
        const isServerSide = NOT_NOW_CODES.includes(code) || UPSTREAM_CODES.includes(code);
        expect(problem.status).toBeLessThan(isServerSide ? 600 : 500);
        expect(problem.status).not.toBe(500);
        expect(problem.status).toBe(STATUS_BY_CODE[code]);
        expect(problem.code).toBe(code);
      }),
    );
  });
});

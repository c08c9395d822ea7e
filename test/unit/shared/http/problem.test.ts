import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  DomainError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from '../../../../shared/domain/errors.ts';
import { PROBLEM_CONTENT_TYPE, problemResponse, toProblem } from '../../../../shared/http/problem.ts';

describe('toProblem', () => {
  it('renders a validation error as a 400 problem naming the fields at fault', () => {
    const error = new ValidationError([{ field: 'body.version', message: 'must be semver' }]);

    const problem = toProblem(error, 'req-1');

    expect(problem).toEqual({
      type: '/problems/validation-failed',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is not valid.',
      instance: 'req-1',
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'body.version', message: 'must be semver' }],
    });
  });

  it('maps not-found and conflict error classes to 404 and 409 when the code is not in the table', () => {
    expect(toProblem(new NotFoundError('THING_NOT_FOUND', 'No thing.'), 'r').status).toBe(404);
    expect(toProblem(new ConflictError('THING_CLASH', 'Clash.'), 'r').status).toBe(409);
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
    const response = problemResponse(new RateLimitedError('Too many runs.', 2.2), 'req-8');

    expect(response.statusCode).toBe(429);
    expect(response.headers).toMatchObject({ 'retry-after': '3', 'content-type': PROBLEM_CONTENT_TYPE });
    expect(JSON.parse(String(response.body))).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  });

  it('always yields a status between 400 and 599 with an UPPER_SNAKE code, whatever is thrown', () => {
    fc.assert(
      fc.property(fc.anything(), fc.stringMatching(/^[A-Z][A-Z_]{0,30}$/), (thrown, code) => {
        for (const error of [thrown, new DomainError(code, 'message')]) {
          const problem = toProblem(error, 'r');
          expect(problem.status).toBeGreaterThanOrEqual(400);
          expect(problem.status).toBeLessThan(600);
          expect(problem.code).toMatch(/^[A-Z][A-Z_]*$/);
        }
      }),
    );
  });
});

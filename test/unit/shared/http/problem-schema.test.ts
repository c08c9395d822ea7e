import { describe, expect, it } from 'vitest';
import { rateLimited } from '../../../../shared/domain/errors/capacity-errors.ts';
import { vulnerableDependencies } from '../../../../shared/domain/errors/package-errors.ts';
import { validationFailed } from '../../../../shared/domain/errors/request-errors.ts';
import { toProblem } from '../../../../shared/http/problem.ts';
import { ProblemSchema } from '../../../../shared/http/problem-schema.ts';

describe('ProblemSchema', () => {
  it.each([
    ['a validation error', validationFailed([{ field: 'body.version', message: 'must be semver' }])],
    ['a rate limit', rateLimited('Too many runs.', 3)],
    [
      'a vulnerable dependency with its findings',
      vulnerableDependencies([
        {
          advisoryId: 'GHSA-1',
          package: 'left-pad',
          version: '1.0.0',
          severity: 'high',
          field: 'sbom.components.0',
        },
      ]),
    ],
    ['an unexpected error', new Error('secret detail')],
  ])('describes what toProblem renders for %s', (_name, error) => {
    const problem = toProblem(error, 'req-1');

    const parsed = ProblemSchema.safeParse(problem);

    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(problem);
  });

  it('refuses a code the error table does not have', () => {
    const problem = { ...toProblem(rateLimited('Too many runs.', 3), 'req-1'), code: 'MADE_UP' };

    expect(ProblemSchema.safeParse(problem).success).toBe(false);
  });
});

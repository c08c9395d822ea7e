import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError } from '../../../../shared/domain/errors/domain-error.ts';
import { type RawRequest, runRoute } from '../../../../shared/http/route-dispatch.ts';
import { defineRoute, type RouteContext } from '../../../../shared/http/route-record.ts';

const record = defineRoute({
  routeKey: 'POST /v1/things/{id}',
  function: 'lifecycle',
  scopes: ['plugins:admin'],
  summary: 'A route with a path and a body',
  request: {
    path: z.object({ id: z.string() }),
    body: z.object({ version: z.string(), metadata: z.object({ permissions: z.array(z.string()) }) }),
  },
  status: 200,
});

const raw: RawRequest = {
  pathParameters: { id: 'thing' },
  query: {},
  headers: {},
  hasBody: () => true,
  jsonBody: () => ({ version: '1.0.0', metadata: { permissions: [] } }),
};
const context = { routeKey: record.routeKey, requestId: 'r-1' } as RouteContext;

async function fieldsOfRefusal(fields: readonly string[]) {
  const refusal = new DomainError('POLICY_VIOLATION', 'refused', {
    errors: fields.map((field) => ({ field, message: 'refused' })),
  });
  const answer = runRoute(record, () => Promise.reject(refusal), raw, context);
  const error = await answer.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).errors.map((issue) => issue.field);
}

describe('runRoute', () => {
  it('locates a use case field in the request part that carried it', async () => {
    expect(await fieldsOfRefusal(['version', 'metadata.permissions.0', 'id'])).toEqual([
      'body.version',
      'body.metadata.permissions.0',
      'path.id',
    ]);
  });

  it('keeps fields already located, and fields no part of the request declares', async () => {
    expect(await fieldsOfRefusal(['headers.if-match', 'query.cursor', 'somethingElse'])).toEqual([
      'headers.if-match',
      'query.cursor',
      'somethingElse',
    ]);
  });

  it('keeps the code, facts and retry hint of the refusal it relocates', async () => {
    const refusal = new DomainError('RATE_LIMITED', 'later', {
      field: 'version',
      retryAfterSeconds: 3,
      facts: { state: 'disabled' },
    });
    const error = (await runRoute(record, () => Promise.reject(refusal), raw, context).catch(
      (thrown: unknown) => thrown,
    )) as DomainError;
    expect(error).toMatchObject({
      code: 'RATE_LIMITED',
      field: 'body.version',
      retryAfterSeconds: 3,
      facts: { state: 'disabled' },
    });
  });
});

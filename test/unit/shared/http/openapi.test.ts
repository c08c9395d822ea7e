import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../../shared/http/openapi.ts';
import { ROUTES } from '../../../../shared/http/route-table.ts';

describe('buildOpenApiDocument', () => {
  const document = buildOpenApiDocument('1.2.3');

  it('describes exactly the routes of the route table', () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(operations.sort()).toEqual(ROUTES.map((route) => route.routeKey).sort());
  });

  it('puts the scopes on authenticated operations and none on public ones', () => {
    const install = document.paths['/v1/plugins']?.post as { security: unknown };
    const health = document.paths['/health']?.get as { security: unknown };

    expect(install.security).toEqual([{ bearer: ['plugins:admin'] }]);
    expect(health.security).toEqual([]);
  });

  it('derives request bodies from the schemas the handlers validate with', () => {
    const install = document.paths['/v1/plugins']?.post as {
      requestBody: { content: { 'application/json': { schema: { required: string[] } } } };
      responses: Record<string, unknown>;
    };

    expect(install.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['id', 'version', 'code', 'metadata']),
    );
    expect(Object.keys(install.responses)).toEqual(['201', 'default']);
  });
});

import { describe, expect, it } from 'vitest';
import { createRouteMatcher } from '../../../../apps/local-platform/route-matcher.ts';
import type { RouteDefinition } from '../../../../shared/http/route-table.ts';

const route = (routeKey: string): RouteDefinition => ({
  routeKey,
  function: 'lifecycle',
  isAuthenticated: true,
  scopes: [],
});

describe('createRouteMatcher', () => {
  const match = createRouteMatcher([
    route('GET /v1/plugins/{id}'),
    route('GET /v1/plugins/updates'),
    route('POST /v1/plugins/{id}/versions/{version}/install'),
  ]);

  it('prefers a literal segment over a path parameter, as API Gateway does', () => {
    expect(match('GET', '/v1/plugins/updates')?.route.routeKey).toBe('GET /v1/plugins/updates');
    expect(match('GET', '/v1/plugins/other')?.pathParameters).toEqual({ id: 'other' });
  });

  it('decodes path parameters and binds each to exactly one segment', () => {
    const result = match('POST', '/v1/plugins/my-plugin/versions/1.0.0%2Bbuild/install');

    expect(result?.pathParameters).toEqual({ id: 'my-plugin', version: '1.0.0+build' });
    expect(match('GET', '/v1/plugins/a/b')).toBeUndefined();
  });

  it('does not match another method or a malformed escape', () => {
    expect(match('DELETE', '/v1/plugins/x')).toBeUndefined();
    expect(match('GET', '/v1/plugins/%E0%A4%A')).toBeUndefined();
  });
});

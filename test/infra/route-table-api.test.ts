import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRouteKey, routeConstructId } from '../../infra/constructs/route-table-api.ts';
import { FUNCTION_NAMES, ROUTES, type RouteDefinition } from '../../shared/http/route-table.ts';
import {
  FIXTURE_HANDLER,
  resourcesOfType,
  type SynthesizedPlatform,
  synthPlatform,
} from './synth-platform.ts';

/** The table as later issues will grow it: more lifecycle routes, marketplace routes, multi-scope. */
const ADDED_ROUTES: readonly RouteDefinition[] = [
  { routeKey: 'POST /v1/plugins', function: 'lifecycle', isAuthenticated: true, scopes: ['plugins:admin'] },
  {
    routeKey: 'GET /v1/plugins/{id}',
    function: 'lifecycle',
    isAuthenticated: true,
    scopes: ['plugins:read'],
  },
  {
    routeKey: 'DELETE /v1/plugins/{id}',
    function: 'lifecycle',
    isAuthenticated: true,
    scopes: ['plugins:admin'],
  },
  { routeKey: 'GET /v1/marketplace/plugins', function: 'marketplace', isAuthenticated: true, scopes: [] },
  {
    routeKey: 'POST /v1/marketplace/plugins/{id}/versions/{version}/yank',
    function: 'marketplace',
    isAuthenticated: true,
    scopes: ['marketplace:publish', 'marketplace:admin'],
  },
];
const GROWN_ROUTES: readonly RouteDefinition[] = [
  ...ROUTES,
  ...ADDED_ROUTES.filter((added) => !ROUTES.some((route) => route.routeKey === added.routeKey)),
];

describe('an HTTP API grown from the route table', () => {
  let platform: SynthesizedPlatform;
  let api: Template;

  beforeAll(() => {
    platform = synthPlatform({
      cloudFormationValidation: false,
      platform: {
        routes: GROWN_ROUTES,
        executionEntry: undefined,
        entries: { platform: FIXTURE_HANDLER, lifecycle: FIXTURE_HANDLER, marketplace: FIXTURE_HANDLER },
      },
    });
    api = platform.template(platform.stacks.api);
  });

  it('creates one route per entry, with no infrastructure change', () => {
    const routes = resourcesOfType([api], 'AWS::ApiGatewayV2::Route');

    expect(routes.map(([, route]) => route.RouteKey).sort()).toEqual(
      GROWN_ROUTES.map((r) => r.routeKey).sort(),
    );
  });

  it('admits any one of several scopes and leaves scopes off when the entry lists none', () => {
    const routes = resourcesOfType([api], 'AWS::ApiGatewayV2::Route');
    const byKey = new Map(routes.map(([, route]) => [route.RouteKey, route]));

    expect(
      byKey.get('POST /v1/marketplace/plugins/{id}/versions/{version}/yank')?.AuthorizationScopes,
    ).toEqual(['marketplace:publish', 'marketplace:admin']);
    expect(byKey.get('GET /v1/marketplace/plugins')?.AuthorizationType).toBe('JWT');
    expect(byKey.get('GET /v1/marketplace/plugins')?.AuthorizationScopes).toBeUndefined();
  });

  it('creates the marketplace function once the table routes to it, with its own grants', () => {
    expect([...platform.stacks.api.functions.keys()].sort()).toEqual([
      'audit',
      'ehr-connection',
      'ehr-notifications',
      'events',
      'lifecycle',
      'marketplace',
      'platform',
    ]);
    const policy = Object.entries(api.findResources('AWS::IAM::ManagedPolicy')).find(([id]) =>
      id.startsWith('MarketplaceFunctionRolePolicy'),
    );
    const actions = JSON.stringify(policy?.[1]);

    expect(actions).toContain('kms:Sign');
    expect(actions).toContain('s3:PutObject');
    expect(actions).not.toContain('lambda:InvokeFunction');
    expect(actions).not.toMatch(/EhrTable/);
  });

  it('grants API Gateway one invoke permission per function, however many routes it serves', () => {
    // The advisory refresh schedule's permission (events.amazonaws.com) is not the API's.
    const permissions = resourcesOfType([api], 'AWS::Lambda::Permission').filter(
      ([, permission]) => permission.Principal === 'apigateway.amazonaws.com',
    );

    expect(permissions.length).toBe(FUNCTION_NAMES.length);
  });

  it('leaves lifecycle without an execution function name or invoke right until execution exists', () => {
    const lifecycle = resourcesOfType([api], 'AWS::Lambda::Function').find(([id]) =>
      id.startsWith('LifecycleFunction'),
    );
    const variables = (lifecycle?.[1].Environment as { Variables: Record<string, unknown> } | undefined)
      ?.Variables;

    expect(variables).not.toHaveProperty('EXECUTION_FUNCTION_NAME');
    expect(platform.stacks.execution.execution).toBeUndefined();
  });
});

describe('route keys', () => {
  it('parses method and path in API Gateway syntax', () => {
    expect(parseRouteKey('GET /v1/plugins/{id}')).toEqual({ method: 'GET', path: '/v1/plugins/{id}' });
  });

  it('refuses keys API Gateway would not accept', () => {
    expect(() => parseRouteKey('FETCH /v1/plugins')).toThrow(/Unsupported route key/);
    expect(() => parseRouteKey('GET v1/plugins')).toThrow(/Unsupported route key/);
  });

  it('derives stable construct ids from route keys', () => {
    expect(routeConstructId('POST /v1/plugins/{id}/enable')).toBe('POST-v1-plugins-id-enable');
  });
});

describe('route-table mistakes', () => {
  it('fails synth naming the missing handler when the table routes to a function that does not exist', () => {
    expect(() =>
      synthPlatform({
        cloudFormationValidation: false,
        platform: {
          routes: [{ routeKey: 'GET /v1/x', function: 'marketplace', isAuthenticated: true, scopes: [] }],
          executionEntry: undefined,
          entries: { marketplace: '/nonexistent/functions/marketplace/handler.ts' },
        },
      }),
    ).toThrow(/routes to "marketplace" but .* does not exist/);
  });

  it('refuses a public route that lists scopes', () => {
    expect(() =>
      synthPlatform({
        cloudFormationValidation: false,
        platform: {
          routes: [
            { routeKey: 'GET /health', function: 'platform', isAuthenticated: false, scopes: ['audit:read'] },
          ],
          executionEntry: undefined,
          entries: { platform: FIXTURE_HANDLER },
        },
      }),
    ).toThrow(/lists scopes but is not authenticated/);
  });
});

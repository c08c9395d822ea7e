/**
 * The one list of HTTP routes. The CDK API stack creates an API Gateway route per entry and the
 * local platform dispatches on the same entries, so the deployed and the local API cannot drift.
 * `routeKey` uses API Gateway's syntax (`METHOD /path/{param}`), which is also what the handlers
 * receive as `event.routeKey` and dispatch on.
 */
export const FUNCTION_NAMES = ['platform', 'lifecycle', 'marketplace'] as const;
export type HttpFunctionName = (typeof FUNCTION_NAMES)[number];

export const SCOPES = [
  'plugins:read',
  'plugins:admin',
  'plugins:invoke',
  'marketplace:publish',
  'marketplace:review',
  'marketplace:admin',
  'audit:read',
] as const;
export type Scope = (typeof SCOPES)[number];

export interface RouteDefinition {
  readonly routeKey: string;
  readonly function: HttpFunctionName;
  /** False only for routes that must answer without a token (health). */
  readonly isAuthenticated: boolean;
  /** Any one of these scopes admits the caller; the handler may check finer rules. */
  readonly scopes: readonly Scope[];
}

const route = (
  routeKey: string,
  fn: HttpFunctionName,
  scopes: readonly Scope[],
  isAuthenticated = true,
): RouteDefinition => ({ routeKey, function: fn, scopes, isAuthenticated });

export const ROUTES: readonly RouteDefinition[] = [
  route('GET /health', 'platform', [], false),
  route('GET /openapi.json', 'platform', [], false),
  route('GET /v1/tenant/policy', 'lifecycle', ['plugins:admin']),
  route('PUT /v1/tenant/policy', 'lifecycle', ['plugins:admin']),
  route('GET /v1/plugins', 'lifecycle', ['plugins:read']),
  route('POST /v1/plugins', 'lifecycle', ['plugins:admin']),
  route('GET /v1/plugins/{id}', 'lifecycle', ['plugins:read']),
  route('DELETE /v1/plugins/{id}', 'lifecycle', ['plugins:admin']),
  route('POST /v1/plugins/{id}/enable', 'lifecycle', ['plugins:admin']),
  route('POST /v1/plugins/{id}/disable', 'lifecycle', ['plugins:admin']),
  route('POST /v1/plugins/{id}/update', 'lifecycle', ['plugins:admin']),
  route('POST /v1/plugins/{id}/invoke', 'lifecycle', ['plugins:invoke']),
  route('GET /v1/plugins/{id}/usage', 'lifecycle', ['plugins:read']),
  // Marketplace: search, plugin pages, versions and reviews are open to any authenticated caller.
  route('GET /v1/marketplace/plugins', 'marketplace', []),
  route('POST /v1/marketplace/plugins', 'marketplace', ['marketplace:publish']),
  route('POST /v1/marketplace/uploads', 'marketplace', ['marketplace:publish']),
  route('GET /v1/marketplace/plugins/{id}', 'marketplace', []),
  route('POST /v1/marketplace/plugins/{id}/deprecate', 'marketplace', [
    'marketplace:publish',
    'marketplace:admin',
  ]),
  route('GET /v1/marketplace/plugins/{id}/versions', 'marketplace', []),
  route('POST /v1/marketplace/plugins/{id}/versions/{version}/install', 'marketplace', ['plugins:admin']),
  route('POST /v1/marketplace/plugins/{id}/versions/{version}/yank', 'marketplace', [
    'marketplace:publish',
    'marketplace:admin',
  ]),
  route('POST /v1/marketplace/plugins/{id}/versions/{version}/revoke', 'marketplace', ['marketplace:admin']),
  route('GET /v1/marketplace/plugins/{id}/versions/{version}/blast-radius', 'marketplace', [
    'marketplace:admin',
  ]),
  route('GET /v1/marketplace/plugins/{id}/reviews', 'marketplace', []),
  route('PUT /v1/marketplace/plugins/{id}/reviews/mine', 'marketplace', ['marketplace:review']),
  route('DELETE /v1/marketplace/plugins/{id}/reviews/mine', 'marketplace', ['marketplace:review']),
  route('GET /v1/plugins/updates', 'marketplace', ['plugins:read']),
  route('POST /v1/publishers/keys', 'marketplace', ['marketplace:publish']),
  // The owner revokes its own key; a platform admin may revoke any (the service checks which).
  route('DELETE /v1/publishers/keys/{keyId}', 'marketplace', ['marketplace:publish', 'marketplace:admin']),
];

export function routesOf(fn: HttpFunctionName): readonly RouteDefinition[] {
  return ROUTES.filter((entry) => entry.function === fn);
}

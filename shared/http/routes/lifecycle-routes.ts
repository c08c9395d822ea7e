import { z } from 'zod';
import { InstallationSchema } from '../../domain/installation.ts';
import { InvocationResultSchema } from '../../domain/invocation.ts';
import { UsageReportSchema } from '../../domain/usage-series.ts';
import { PageQuerySchema } from '../pagination.ts';
import {
  EnablePluginBodySchema,
  InstallPluginBodySchema,
  InvokePluginBodySchema,
  UpdatePluginBodySchema,
  UsageQuerySchema,
} from '../requests/lifecycle-requests.ts';
import { pageOf } from '../response-schemas.ts';
import { defineRoute } from '../route-record.ts';
import { TENANT_POLICY_ROUTES } from './tenant-policy-routes.ts';

/** The service judges the id (an unknown or malformed one is a 404 in this tenant). */
const InstalledPluginPathSchema = z.object({ id: z.string().min(1) });

export const LIFECYCLE_ROUTES = [
  ...TENANT_POLICY_ROUTES,
  defineRoute({
    routeKey: 'GET /v1/plugins',
    operationId: 'listPlugins',
    function: 'lifecycle',
    scopes: ['plugins:read'],
    summary: "The caller's tenant's installed plugins",
    request: { query: PageQuerySchema },
    status: 200,
    response: pageOf(InstallationSchema),
  }),
  defineRoute({
    routeKey: 'POST /v1/plugins',
    operationId: 'installPlugin',
    description:
      'Validated in order, nothing stored on a refusal: manifest (`INVALID_MANIFEST`), artifact shape and size, code signing, dependency scan (`VULNERABLE_DEPENDENCY` names every finding), tenant policy. The installation starts disabled.',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Install a signed plugin directly; Idempotency-Key replays a retry',
    request: { body: InstallPluginBodySchema },
    status: 201,
    response: InstallationSchema,
    problems: [409, 422],
    idempotencyScope: 'install',
  }),
  defineRoute({
    routeKey: 'GET /v1/plugins/{id}',
    operationId: 'getPlugin',
    function: 'lifecycle',
    scopes: ['plugins:read'],
    summary: 'One installation (state, version, grants, provenance)',
    request: { path: InstalledPluginPathSchema },
    status: 200,
    response: InstallationSchema,
  }),
  defineRoute({
    routeKey: 'DELETE /v1/plugins/{id}',
    operationId: 'uninstallPlugin',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Uninstall (storage deleted or kept as the tenant policy says)',
    request: { path: InstalledPluginPathSchema },
    status: 204,
  }),
  defineRoute({
    routeKey: 'POST /v1/plugins/{id}/enable',
    operationId: 'enablePlugin',
    description:
      'Grants the listed permissions, or every permission the manifest requests when `grants` is absent, recorded as consented by the caller. Installed or disabled → enabled; any other state is a 409 `ILLEGAL_TRANSITION`.',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Enable, granting the requested permissions (or a subset)',
    request: { path: InstalledPluginPathSchema, body: EnablePluginBodySchema },
    isBodyOptional: true,
    status: 200,
    response: InstallationSchema,
    problems: [409, 422],
  }),
  defineRoute({
    routeKey: 'POST /v1/plugins/{id}/disable',
    operationId: 'disablePlugin',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Disable',
    request: { path: InstalledPluginPathSchema },
    status: 200,
    response: InstallationSchema,
    problems: [409],
  }),
  defineRoute({
    routeKey: 'POST /v1/plugins/{id}/update',
    operationId: 'updatePlugin',
    description:
      '`{ version }` installs that release from the marketplace; `{ version, code, metadata, signature }` installs it directly. `allowDowngrade: true` allows a deliberate, audited rollback. An update that asks for new permissions leaves the plugin disabled (`stateReason: awaiting-consent`) until it is enabled again.',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Update to another version; Idempotency-Key replays a retry',
    request: { path: InstalledPluginPathSchema, body: UpdatePluginBodySchema },
    status: 200,
    response: InstallationSchema,
    problems: [409, 422],
    idempotencyScope: 'update',
  }),
  defineRoute({
    routeKey: 'POST /v1/plugins/{id}/invoke',
    operationId: 'invokePlugin',
    description:
      "Answers 200 with the run result whether the plugin succeeded or not (`ok`, its output or `error`, `usage`, `logs`, `events`); 409 `PLUGIN_NOT_ENABLED` when it is not enabled, 429 `RATE_LIMITED` at the tenant's run cap, 503 when nothing could run.",
    function: 'lifecycle',
    scopes: ['plugins:invoke'],
    summary: 'Run an enabled plugin with the given input',
    request: { path: InstalledPluginPathSchema, body: InvokePluginBodySchema },
    isBodyOptional: true,
    status: 200,
    response: InvocationResultSchema,
    problems: [409, 422, 429, 503],
  }),
  defineRoute({
    routeKey: 'GET /v1/plugins/{id}/usage',
    operationId: 'getPluginUsage',
    description:
      'The summary since install plus one bucket per interval (empty ones as zeros) and `seriesTotals` over the window. Bucket starts are UTC multiples of the interval; at most 1,440 buckets.',
    function: 'lifecycle',
    scopes: ['plugins:read'],
    summary: "An installation's usage: totals since install and a time series (from, to, interval)",
    request: { path: InstalledPluginPathSchema, query: UsageQuerySchema },
    status: 200,
    response: UsageReportSchema,
  }),
] as const;

import type { Caller } from '../../shared/auth/caller.ts';
import type { InvocationResult } from '../../shared/domain/invocation.ts';
import {
  EnablePluginBodySchema,
  InstallPluginBodySchema,
  InvokePluginBodySchema,
  PutTenantPolicyBodySchema,
  UpdatePluginBodySchema,
} from '../../shared/domain/lifecycle-requests.ts';
import type { CursorCodec } from '../../shared/http/cursor-codec.ts';
import { created, type HttpRequest, noContent, ok, type RouteHandler } from '../../shared/http/http-types.ts';
import { withIdempotency } from '../../shared/http/idempotency.ts';
import { parsePageQuery } from '../../shared/http/pagination.ts';
import { parseWith } from '../../shared/http/parse-request.ts';
import type { ExecutionInvoker } from '../../shared/ports/execution-invoker.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency-store.ts';
import { errorForUnrunInvocation } from '../../shared/services/execution/refusal-errors.ts';
import type { PluginService } from '../../shared/services/lifecycle/plugin-service.ts';
import { assertTransition } from '../../shared/services/lifecycle/state-transitions.ts';
import type { TenantPolicyService } from '../../shared/services/lifecycle/tenant-policy-service.ts';

export interface LifecycleRouteDependencies {
  readonly pluginServiceFor: (caller: Caller, requestId: string) => PluginService;
  readonly tenantPolicyServiceFor: (caller: Caller, requestId: string) => TenantPolicyService;
  readonly idempotency: IdempotencyStore;
  /** Seals and opens the cursors of this function's lists (bound to tenant and list). */
  readonly cursors: CursorCodec;
  readonly invoker: ExecutionInvoker;
  readonly now: () => Date;
}

/** Routes whose body is optional treat a missing body as `{}`; a present one must be valid JSON. */
const optionalBody = (request: HttpRequest): unknown => (request.hasBody() ? request.jsonBody() : {});

/**
 * The execution function re-checks everything before it runs code; when it refused to run at all
 * (a disable or revocation that raced this call, an artifact that failed verification) the caller
 * gets the matching problem, not a 200 with a failed run.
 */
function refuseWhenNotRun(result: InvocationResult): void {
  const error = errorForUnrunInvocation(result);
  if (error) throw error;
}

export function lifecycleRoutes(deps: LifecycleRouteDependencies): Record<string, RouteHandler> {
  const service = (request: HttpRequest) => deps.pluginServiceFor(request.caller, request.requestId);
  const id = (request: HttpRequest) => request.pathParameters.id ?? '';

  return {
    'GET /v1/plugins': async (request) => {
      const { limit, cursor } = parsePageQuery(request.query);
      const scope = { tenantId: request.caller.tenantId, list: 'installations' };
      return ok(
        await deps.cursors.page(cursor, scope, (position) =>
          service(request).listPlugins({ limit, cursor: position }),
        ),
      );
    },

    'POST /v1/plugins': (request) =>
      withIdempotency(request, 'install', deps.idempotency, deps.now, async () => {
        const body = parseWith(InstallPluginBodySchema, request.jsonBody(), 'body');
        return created(await service(request).installPlugin(body));
      }),

    'GET /v1/plugins/{id}': async (request) => ok(await service(request).getPlugin(id(request))),

    'POST /v1/plugins/{id}/enable': async (request) => {
      const body = parseWith(EnablePluginBodySchema, optionalBody(request), 'body');
      return ok(await service(request).enablePlugin(id(request), body.grants));
    },

    'POST /v1/plugins/{id}/disable': async (request) => ok(await service(request).disablePlugin(id(request))),

    'DELETE /v1/plugins/{id}': async (request) => {
      await service(request).uninstallPlugin(id(request));
      return noContent();
    },

    'POST /v1/plugins/{id}/update': (request) =>
      withIdempotency(request, 'update', deps.idempotency, deps.now, async () => {
        const { version, ...options } = parseWith(UpdatePluginBodySchema, request.jsonBody(), 'body');
        return ok(await service(request).updatePlugin(id(request), version, options));
      }),

    'POST /v1/plugins/{id}/invoke': async (request) => {
      const body = parseWith(InvokePluginBodySchema, optionalBody(request), 'body');
      const installation = await service(request).getPlugin(id(request));
      assertTransition('invoke', installation.state, installation.stateReason);
      const result = await deps.invoker.invoke({
        kind: 'invoke',
        tenantId: request.caller.tenantId,
        pluginId: installation.pluginId,
        actor: request.caller.userId,
        requestId: request.requestId,
        input: body.input ?? null,
      });
      refuseWhenNotRun(result);
      return ok(result);
    },

    'GET /v1/plugins/{id}/usage': async (request) => ok(await service(request).getUsage(id(request))),

    'GET /v1/tenant/policy': async (request) =>
      ok(await deps.tenantPolicyServiceFor(request.caller, request.requestId).get()),

    'PUT /v1/tenant/policy': async (request) => {
      const policy = parseWith(PutTenantPolicyBodySchema, request.jsonBody(), 'body');
      const ifMatch = request.header('if-match');
      return ok(await deps.tenantPolicyServiceFor(request.caller, request.requestId).put(policy, ifMatch));
    },
  };
}

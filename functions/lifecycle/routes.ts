import type { Caller } from '../../shared/auth/caller.ts';
import { crashedInvocation, type InvocationResult, type RunOutcome } from '../../shared/domain/invocation.ts';
import type { StoredTenantPolicy, TenantPolicy } from '../../shared/domain/tenant-policy.ts';
import type { CursorCodec } from '../../shared/http/cursor-codec.ts';
import { entityTagOf } from '../../shared/http/entity-tag.ts';
import type { RouteContext, RouteHandlersFor, RouteResult } from '../../shared/http/route-record.ts';
import type { LIFECYCLE_ROUTES } from '../../shared/http/routes/lifecycle-routes.ts';
import type { ExecutionInvoker } from '../../shared/ports/execution-invoker.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency-store.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { recordCrashedRun } from '../../shared/services/execution/record-crashed-run.ts';
import { errorForRefusal } from '../../shared/services/execution/refusal-errors.ts';
import type { PluginService } from '../../shared/services/lifecycle/plugin-service.ts';
import type { TenantPolicyService } from '../../shared/services/lifecycle/tenant-policy-service.ts';

export interface LifecycleRouteDependencies {
  readonly pluginServiceFor: (caller: Caller, requestId: string) => PluginService;
  readonly tenantPolicyServiceFor: (caller: Caller, requestId: string) => TenantPolicyService;
  readonly idempotency: IdempotencyStore;
  /** Seals and opens the cursors of this function's lists (bound to tenant and list). */
  readonly cursors: CursorCodec;
  readonly invoker: ExecutionInvoker;
  /** Where the record of a run whose process died goes (the execution side could not write it). */
  readonly auditTrail: AuditTrail;
  readonly now: () => Date;
}

/** The policy itself, with its version as the ETag: the shape PUT takes back. */
const policyResult = ({ policy, version }: StoredTenantPolicy): RouteResult<TenantPolicy> => ({
  body: policy,
  headers: { etag: entityTagOf(version) },
});

/**
 * The execution function checks everything before it runs code; when it refused to run at all
 * (not installed, not enabled, revoked, an artifact that failed verification, the tenant at its
 * cap) the caller gets the matching problem, not a 200 with a failed run. A run that ran, or whose
 * process died, answers 200 with the run's result.
 */
function answerOf(outcome: RunOutcome): InvocationResult {
  switch (outcome.kind) {
    case 'ran':
      return outcome.result;
    case 'crashed':
      return crashedInvocation(outcome.code);
    case 'refused':
      throw errorForRefusal(outcome.refusal);
  }
}

/** Parsed request → use case → result; parsing, statuses and idempotency come from the records. */
export function lifecycleRoutes(deps: LifecycleRouteDependencies): RouteHandlersFor<typeof LIFECYCLE_ROUTES> {
  const service = ({ caller, requestId }: RouteContext) => deps.pluginServiceFor(caller, requestId);
  const policies = ({ caller, requestId }: RouteContext) => deps.tenantPolicyServiceFor(caller, requestId);

  return {
    'GET /v1/plugins': async ({ query: { limit, cursor } }, context) => {
      const scope = { tenantId: context.caller.tenantId, list: 'installations' };
      return {
        body: await deps.cursors.page(cursor, scope, (position) =>
          service(context).listPlugins({ limit, cursor: position }),
        ),
      };
    },

    'POST /v1/plugins': async ({ body }, context) => ({ body: await service(context).installPlugin(body) }),

    'GET /v1/plugins/{id}': async ({ path }, context) => ({
      body: await service(context).getPlugin(path.id),
    }),

    'POST /v1/plugins/{id}/enable': async ({ path, body }, context) => ({
      body: await service(context).enablePlugin(path.id, body.grants),
    }),

    'POST /v1/plugins/{id}/disable': async ({ path }, context) => ({
      body: await service(context).disablePlugin(path.id),
    }),

    'DELETE /v1/plugins/{id}': async ({ path }, context) => {
      await service(context).uninstallPlugin(path.id);
      return {};
    },

    'POST /v1/plugins/{id}/update': async ({ path, body: { version, ...options } }, context) => ({
      body: await service(context).updatePlugin(path.id, version, options),
    }),

    // The execution side reads the installation and checks its state; this route reads nothing.
    // A run that ran commits this request's record in its own settlement: one write for both.
    'POST /v1/plugins/{id}/invoke': async ({ path, body }, context) => {
      const requestRecord = context.handOffRequestRecord();
      const invocation = {
        kind: 'invoke',
        tenantId: context.caller.tenantId,
        pluginId: path.id,
        actor: context.caller.userId,
        requestId: context.requestId,
        input: body.input ?? null,
        requestRecord: requestRecord.record,
      } as const;
      const outcome = await deps.invoker.invoke(invocation);
      if (outcome.kind === 'ran') requestRecord.committed();
      if (outcome.kind === 'crashed') await recordCrashedRun(invocation, outcome.code, deps.auditTrail);
      return { body: answerOf(outcome) };
    },

    'GET /v1/plugins/{id}/usage': async ({ path, query }, context) => ({
      body: await service(context).getUsage(path.id, query),
    }),

    'GET /v1/tenant/policy': async (_request, context) => policyResult(await policies(context).get()),

    'PUT /v1/tenant/policy': async ({ headers, body }, context) =>
      policyResult(await policies(context).put(body, headers['if-match'])),

    'PATCH /v1/tenant/policy': async ({ headers, body }, context) =>
      policyResult(await policies(context).patch(body, headers['if-match'])),
  };
}

import type { Caller } from '../../shared/auth/caller.ts';
import { DomainError } from '../../shared/domain/errors/domain-error.ts';
import { invalidCursor } from '../../shared/domain/errors/request-errors.ts';
import type { CursorCodec, CursorScope } from '../../shared/http/cursor-codec.ts';
import type { RouteHandlersFor } from '../../shared/http/route-record.ts';
import type { TENANT_EVENT_ROUTES } from '../../shared/http/routes/tenant-event-routes.ts';
import type { IdempotencyStore } from '../../shared/ports/idempotency-store.ts';
import {
  listTenantEvents,
  type TenantEventsDependencies,
} from '../../shared/services/events/list-tenant-events.ts';
import type { WebhookService } from '../../shared/services/events/webhook-service.ts';

export interface EventsRouteDependencies extends TenantEventsDependencies {
  readonly webhookServiceFor: (caller: Caller, requestId: string) => WebhookService;
  readonly idempotency: IdempotencyStore;
  /** Seals and opens the feed's and the webhook list's cursors (bound to tenant and list). */
  readonly cursors: CursorCodec;
}

const SEQ_POSITION = /^\d{1,12}$/;

/** The feed's position inside its cursor: the last seq the caller saw (0 before the first). */
async function afterSeqOf(
  cursors: CursorCodec,
  after: string | undefined,
  scope: CursorScope,
): Promise<number> {
  let position: string | undefined;
  try {
    position = await cursors.open(after, scope);
  } catch (error) {
    // The feed's cursor arrives as `after`, so that is the field a refusal names.
    if (error instanceof DomainError && error.code === 'INVALID_CURSOR')
      throw invalidCursor(error, 'query.after');
    throw error;
  }
  if (position === undefined) return 0;
  if (!SEQ_POSITION.test(position)) throw invalidCursor(undefined, 'query.after');
  return Number(position);
}

/** Parsed request → use case → result; the tenant is always the caller's, from the token. */
export function eventsRoutes(deps: EventsRouteDependencies): RouteHandlersFor<typeof TENANT_EVENT_ROUTES> {
  const webhooks = (caller: Caller, requestId: string) => deps.webhookServiceFor(caller, requestId);

  return {
    'GET /v1/events': async ({ query }, { caller }) => {
      const scope: CursorScope = { tenantId: caller.tenantId, list: 'events' };
      const afterSeq = await afterSeqOf(deps.cursors, query.after, scope);
      const page = await listTenantEvents(
        { tenantId: caller.tenantId, afterSeq, types: query.types, limit: query.limit },
        deps,
      );
      return {
        body: { items: [...page.items], cursor: await deps.cursors.seal(String(page.lastSeq), scope) },
      };
    },

    'POST /v1/webhooks': async ({ body }, { caller, requestId }) => ({
      body: await webhooks(caller, requestId).register(body),
    }),

    'GET /v1/webhooks': async ({ query: { limit, cursor } }, { caller, requestId }) => {
      const scope: CursorScope = { tenantId: caller.tenantId, list: 'webhooks' };
      return {
        body: await deps.cursors.page(cursor, scope, async (afterId) => {
          const all = (await webhooks(caller, requestId).list()).sort((a, b) => a.id.localeCompare(b.id));
          const rest = afterId === undefined ? all : all.filter((webhook) => webhook.id > afterId);
          const items = rest.slice(0, limit);
          const last = items.at(-1);
          return rest.length > limit && last ? { items, nextCursor: last.id } : { items };
        }),
      };
    },

    'DELETE /v1/webhooks/{webhookId}': async ({ path }, { caller, requestId }) => {
      await webhooks(caller, requestId).remove(path.webhookId);
      return {};
    },
  };
}

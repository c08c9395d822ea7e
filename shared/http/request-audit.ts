import type { Caller } from '../auth/caller.ts';
import { ANONYMOUS_ACTOR, userActor } from '../domain/actors.ts';
import type { AuditRecord } from '../domain/platform-events.ts';
import { type AuditTrail, appendAudit } from '../services/audit/audit-trail.ts';
import type { HttpEvent } from './http-types.ts';
import type { RouteDefinition } from './route-record.ts';

export const API_REQUEST_ACTION = 'api:request';

/** What the dispatcher knows of a request once it has its answer. */
export interface AnsweredRequest {
  readonly event: HttpEvent;
  readonly requestId: string;
  /** The matched route; absent when none matched (the raw route key is recorded as it came). */
  readonly route?: RouteDefinition | undefined;
  readonly caller?: Caller | undefined;
  readonly status: number;
  /** The problem's code when the answer is a refusal or a failure. */
  readonly code?: string | undefined;
}

const outcomeOf = (status: number): AuditRecord['outcome'] =>
  status < 400 ? 'success' : status < 500 ? 'refused' : 'failure';

/**
 * The `api:request` record of one request: who (from the verified token only), which route and
 * targets (path parameters, which the record's schema keeps only when they are ids), from where,
 * and how it was answered. Only the route's scopes the caller holds are listed: the scopes used.
 * The request's body and query never enter it: they may carry PHI.
 */
export function apiRequestRecord(answered: AnsweredRequest): AuditRecord {
  const { event, route, caller, status, code } = answered;
  const targetIds = { ...(event.pathParameters ?? {}) } as Record<string, string>;
  const userAgent = event.requestContext?.http?.userAgent;
  const sourceIp = event.requestContext?.http?.sourceIp;
  const scopesUsed = caller && route ? route.scopes.filter((scope) => caller.scopes.has(scope)) : [];
  return {
    action: API_REQUEST_ACTION,
    outcome: outcomeOf(status),
    actor: caller ? userActor(caller.tenantId, caller.userId) : ANONYMOUS_ACTOR,
    ...(caller ? { tenantId: caller.tenantId } : {}),
    ...(targetIds.id !== undefined && event.routeKey.includes('/plugins/{id}')
      ? { pluginId: targetIds.id }
      : {}),
    ...(code === undefined ? {} : { code }),
    requestId: answered.requestId,
    request: {
      routeKey: route?.routeKey ?? event.routeKey,
      status,
      ...(scopesUsed.length > 0 ? { scopes: scopesUsed } : {}),
      ...(sourceIp ? { sourceIp } : {}),
      ...(userAgent ? { userAgent } : {}),
      ...(Object.keys(targetIds).length > 0 ? { targetIds } : {}),
    },
  };
}

/**
 * Appends the request's record. Reads fail closed: a successful GET or HEAD whose record cannot be
 * written is not answered (`AUDIT_UNAVAILABLE` is thrown). A change that committed carried its own
 * record in its transaction, and a refusal discloses nothing, so those keep their answer and the
 * missing request record is reported to the caller's logger instead (`false`).
 */
export async function recordApiRequest(trail: AuditTrail, answered: AnsweredRequest): Promise<boolean> {
  try {
    await appendAudit(trail, [apiRequestRecord(answered)]);
    return true;
  } catch (error) {
    const method = answered.event.requestContext?.http?.method ?? answered.event.routeKey.split(' ', 1)[0];
    const isRead = method === 'GET' || method === 'HEAD';
    if (isRead && answered.status < 400) throw error;
    return false;
  }
}

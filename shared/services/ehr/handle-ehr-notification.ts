import { ehrActor } from '../../domain/actors.ts';
import { seenVersionOf } from '../../domain/ehr-change.ts';
import type { EhrConnection } from '../../domain/ehr-connection.ts';
import {
  type NotificationKind,
  type NotificationReference,
  parseNotification,
} from '../../domain/ehr-notification.ts';
import { unauthenticated } from '../../domain/errors/auth-errors.ts';
import { notificationsUnavailable, rateLimited } from '../../domain/errors/capacity-errors.ts';
import { DomainError } from '../../domain/errors/domain-error.ts';
import { validationFailed } from '../../domain/errors/request-errors.ts';
import { type TenantId, TenantIdSchema } from '../../domain/identifiers.ts';
import type { EhrChangeLedger } from '../../ports/ehr-change-ledger.ts';
import type { EhrConnectionRepository } from '../../ports/ehr-connection-repository.ts';
import type { EhrCallScope } from '../../ports/ehr-repository.ts';
import type { EhrSubscriptions } from '../../ports/ehr-subscriptions.ts';
import type { UsageCounters } from '../../sandbox/usage-counters.ts';
import { type AuditTrail, appendAudit } from '../audit/audit-trail.ts';
import { type ClaimOutcome, claimEhrChange } from './claim-ehr-change.ts';
import { isNotificationSecret } from './notification-secret.ts';

export interface NotificationLimits {
  /** Notifications admitted per tenant per minute, across every instance. */
  readonly perMinute: number;
  /** How long the re-reads of one notification may take, in ms (the EHR call scope's deadline). */
  readonly readBudgetMs: number;
}
export const DEFAULT_NOTIFICATION_LIMITS: NotificationLimits = { perMinute: 600, readBudgetMs: 8_000 };

export interface HandleEhrNotificationDependencies extends AuditTrail {
  readonly connections: EhrConnectionRepository;
  readonly subscriptions: EhrSubscriptions;
  readonly ledger: EhrChangeLedger;
  readonly counters: UsageCounters;
  readonly limits?: NotificationLimits | undefined;
}

export interface EhrNotificationCommand {
  /** The path's tenant id, as sent: not trusted until the secret matches. */
  readonly tenantId: string;
  /** The `X-Gradiant-Notification-Secret` header, as sent. */
  readonly secret: string | undefined;
  /** The JSON body, undefined when empty. */
  readonly body: unknown;
}

export interface NotificationReceipt {
  readonly kind: NotificationKind;
  readonly references: number;
  readonly ignored: number;
  readonly events: number;
  readonly duplicates: number;
  /** Named records the EHR no longer answers (deleted, or not a patient appointment). */
  readonly gone: number;
}

/** Claims that lost to a concurrent one are re-read and retried this often before giving up. */
const CLAIM_ATTEMPTS = 3;
/** Re-reads in flight at once for one notification: the EHR's own rate limits are the tenant's. */
const READ_CONCURRENCY = 5;
const WINDOW_MS = 60_000;
/** Compared against when the tenant has no secret, so an unknown tenant costs the same as a wrong secret. */
const NO_SECRET_SHA256 = '0'.repeat(64);

/**
 * A rest-hook notification from a tenant's EHR, turned into the platform's data events. The
 * secret is checked before anything else, and an unknown tenant, a tenant without a connection
 * and a wrong secret answer the same 401, so the endpoint tells no one which tenants exist. Then
 * the tenant's notification budget is charged (failing closed), the body is parsed, and each named
 * record is re-read with the platform's own token: the body says only which records to look at.
 * Each version is claimed once in the change ledger with its event, so a replay, a duplicate or the
 * notification of a plugin's own write emits nothing.
 */
export async function handleEhrNotification(
  command: EhrNotificationCommand,
  deps: HandleEhrNotificationDependencies,
): Promise<NotificationReceipt> {
  const { tenantId, connection } = await authenticate(command, deps);
  await admit(tenantId, deps);
  const parsed = parseNotification(command.body, connection.fhirBaseUrl);
  if (!parsed.ok) throw validationFailed([{ field: 'body', message: parsed.reason }]);
  const { notification } = parsed;
  const limits = deps.limits ?? DEFAULT_NOTIFICATION_LIMITS;
  const scope: EhrCallScope = { tenantId, deadlineAt: deps.clock.now().getTime() + limits.readBudgetMs };

  const outcomes = await inBatches(notification.references, READ_CONCURRENCY, (reference) =>
    observe(scope, reference, deps),
  );
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  const settled = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const receipt: NotificationReceipt = {
    kind: notification.kind,
    references: notification.references.length,
    ignored: notification.ignored,
    events: settled.filter((outcome) => outcome.status === 'claimed' && outcome.event).length,
    duplicates: settled.filter((outcome) => outcome.status === 'seen').length,
    gone: settled.filter((outcome) => outcome.status === 'gone').length,
  };
  const reason = `kind=${receipt.kind} references=${receipt.references} ignored=${receipt.ignored} events=${receipt.events} duplicates=${receipt.duplicates} gone=${receipt.gone}`;
  const record = {
    action: 'ehr:notification',
    actor: ehrActor(tenantId),
    tenantId,
    resourceIds: notification.references.map((reference) => reference.id),
    reason,
  };
  if (failure?.status === 'rejected') {
    const code = failure.reason instanceof DomainError ? failure.reason.code : 'INTERNAL_ERROR';
    await appendAudit(deps, [{ ...record, outcome: 'failure', code }]);
    // The EHR retries a failed notification; the versions claimed so far are then `seen`.
    throw failure.reason;
  }
  await appendAudit(deps, [{ ...record, outcome: 'success' }]);
  return receipt;
}

const REFUSAL = 'A valid notification secret is required.';

async function authenticate(
  command: EhrNotificationCommand,
  deps: HandleEhrNotificationDependencies,
): Promise<{ tenantId: TenantId; connection: EhrConnection }> {
  const tenant = TenantIdSchema.safeParse(command.tenantId);
  const connection = tenant.success ? await deps.connections.get(tenant.data) : undefined;
  const stored = connection?.subscription?.secretSha256;
  const isValid = isNotificationSecret(command.secret ?? '', stored ?? NO_SECRET_SHA256);
  if (!tenant.success || !connection || !stored || !isValid || command.secret === undefined) {
    throw unauthenticated(REFUSAL);
  }
  return { tenantId: tenant.data, connection };
}

async function admit(tenantId: TenantId, deps: HandleEhrNotificationDependencies): Promise<void> {
  const limits = deps.limits ?? DEFAULT_NOTIFICATION_LIMITS;
  let allowed: boolean;
  try {
    ({ allowed } = await deps.counters.consume(
      `${tenantId}/ehr/notifications`,
      1,
      limits.perMinute,
      WINDOW_MS,
    ));
  } catch (error) {
    throw notificationsUnavailable(5, error);
  }
  if (!allowed) {
    throw rateLimited('Too many EHR notifications for this tenant; retry after the time in Retry-After.', 60);
  }
}

type Observation = ClaimOutcome | { readonly status: 'gone' };

/**
 * The ledger is read before the EHR: every version the ledger holds was read from the EHR earlier,
 * so the record read now is at least as new, and the conditional claim fails if anyone claimed in
 * between. A notification that arrives late (for v2 after v3) therefore re-reads v3, finds it
 * claimed, and emits nothing; it never rolls the ledger back.
 */
async function observe(
  scope: EhrCallScope,
  reference: NotificationReference,
  deps: HandleEhrNotificationDependencies,
): Promise<Observation> {
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
    const previous = await deps.ledger.lastSeen(scope.tenantId, reference.type, reference.id);
    const current = await deps.subscriptions.read(scope, reference.type, reference.id);
    if (!current) return { status: 'gone' };
    const seen = seenVersionOf(current);
    // A server that keeps no versions cannot be deduplicated: nothing is emitted rather than everything twice.
    if (!seen) return { status: 'gone' };
    const outcome = await claimEhrChange(deps, scope.tenantId, seen, ehrActor(scope.tenantId), previous);
    if (outcome.status !== 'conflict') return outcome;
  }
  // Lost every race: other claims of this record are committing, each with its own event.
  return { status: 'seen' };
}

async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  run: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.allSettled(items.slice(start, start + size).map(run))));
  }
  return results;
}

import type { EhrConnection, EhrSubscription } from '../../domain/ehr-connection.ts';
import { DomainError } from '../../domain/errors/domain-error.ts';
import { ehrNotConnected } from '../../domain/errors/ehr-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { EhrConnectionRepository } from '../../ports/ehr-connection-repository.ts';
import type { EhrSubscriptions } from '../../ports/ehr-subscriptions.ts';
import { type AuditTrail, auditEvent } from '../audit/audit-trail.ts';
import {
  NOTIFICATION_SECRET_HEADER,
  newNotificationSecret,
  notificationSecretSha256,
} from './notification-secret.ts';

export interface EnsureEhrSubscriptionsDependencies extends AuditTrail {
  readonly connections: EhrConnectionRepository;
  readonly subscriptions: EhrSubscriptions;
  /** The API's public base (`PUBLIC_API_BASE_URL`), without a trailing slash needed. */
  readonly publicApiBaseUrl: string;
  /** Fresh secrets (tests fix them); 32 random bytes, base64url, by default. */
  readonly newSecret?: (() => string) | undefined;
  /** How long the EHR calls may take, in ms. */
  readonly budgetMs?: number | undefined;
}

export interface EnsureEhrSubscriptionsCommand {
  readonly tenantId: TenantId;
  /** Who asked, in the actor format (`<tenant>/<user>`, `platform:<component>`). */
  readonly actor: string;
}

export const notificationEndpointOf = (publicApiBaseUrl: string, tenantId: TenantId): string =>
  `${publicApiBaseUrl.replace(/\/+$/, '')}/v1/ehr/notifications/${tenantId}`;

/**
 * Creates (or replaces) the tenant's rest-hook subscriptions with a fresh secret, and stores the
 * outcome on the connection: `active` with the subscription ids and the secret's SHA-256 (the
 * secret itself is only ever in the EHR's Subscription), or `failed` with a status-only reason,
 * keeping the previous ids and hash since the old subscriptions may still be posting. The
 * connection is written with its version condition, so a concurrent edit is CONCURRENT_MODIFICATION.
 * Call it after a successful `PUT /v1/tenant/ehr-connection`, and from the connection test route.
 */
export async function ensureEhrSubscriptions(
  command: EnsureEhrSubscriptionsCommand,
  deps: EnsureEhrSubscriptionsDependencies,
): Promise<EhrSubscription> {
  const { tenantId, actor } = command;
  const connection = await deps.connections.get(tenantId);
  if (!connection) throw ehrNotConnected();
  const secret = (deps.newSecret ?? newNotificationSecret)();
  const now = deps.clock.now();
  let subscription: EhrSubscription;
  try {
    const subscriptionIds = await deps.subscriptions.ensure(
      { tenantId, deadlineAt: now.getTime() + (deps.budgetMs ?? 10_000) },
      {
        endpoint: notificationEndpointOf(deps.publicApiBaseUrl, tenantId),
        headerName: NOTIFICATION_SECRET_HEADER,
        secret,
      },
    );
    subscription = {
      state: 'active',
      subscriptionIds,
      secretSha256: notificationSecretSha256(secret),
      updatedAt: deps.clock.now().toISOString(),
    };
  } catch (error) {
    const previous = connection.subscription;
    subscription = {
      state: 'failed',
      subscriptionIds: previous?.subscriptionIds ?? [],
      ...(previous?.secretSha256 ? { secretSha256: previous.secretSha256 } : {}),
      reason: reasonOf(error),
      updatedAt: deps.clock.now().toISOString(),
    };
  }
  const updated: EhrConnection = {
    ...connection,
    subscription,
    version: connection.version + 1,
    updatedAt: subscription.updatedAt,
    updatedBy: actor,
  };
  const record = auditEvent(
    {
      action: 'ehr:subscriptions-ensured',
      outcome: subscription.state === 'active' ? 'success' : 'failure',
      actor,
      tenantId,
      ...(subscription.state === 'failed' ? { reason: subscription.reason } : {}),
    },
    deps,
  );
  await deps.connections.put(updated, connection.version, [record]);
  return subscription;
}

/** A DomainError's code and safe message (EHR_* messages carry statuses only); nothing else's text. */
function reasonOf(error: unknown): string {
  if (error instanceof DomainError) return `${error.code}: ${error.message}`.slice(0, 200);
  return 'the subscriptions could not be created';
}

import type { Subscription } from '@medplum/fhirtypes';
import type { EhrConnection } from '../../domain/ehr-connection.ts';
import { ehrUnavailable } from '../../domain/errors/ehr-errors.ts';
import type { EhrCallScope } from '../../ports/ehr-repository.ts';
import { type NotificationHook, WATCHED_RESOURCE_TYPES } from '../../ports/ehr-subscriptions.ts';
import type { FhirTenantClient } from './fhir-tenant-client.ts';
import { asObject, asString } from './fhir-values.ts';

export const BACKPORT_PAYLOAD_CONTENT =
  'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content';

/**
 * The rest-hook Subscription for one watched type: every change (`Patient?`), id-only payloads
 * (the platform re-reads the resource with its own token, so no record travels in the
 * notification), and the secret header the notification endpoint checks.
 */
export function subscriptionResource(criteria: string, hook: NotificationHook, id?: string): Subscription {
  return {
    resourceType: 'Subscription',
    ...(id ? { id } : {}),
    status: 'requested',
    reason: 'Gradiant Plugins: changes reach the plugins subscribed to them',
    criteria,
    channel: {
      type: 'rest-hook',
      endpoint: hook.endpoint,
      payload: 'application/fhir+json',
      _payload: { extension: [{ url: BACKPORT_PAYLOAD_CONTENT, valueCode: 'id-only' }] },
      header: [`${hook.headerName}: ${hook.secret}`],
    } as Subscription['channel'],
  };
}

/**
 * One Subscription per watched type pointing at `hook.endpoint`: an existing one (same endpoint
 * and criteria) is replaced in place, keeping its id, so saving a connection twice never doubles
 * the notifications; a missing one is created. Answers the ids in WATCHED_RESOURCE_TYPES order.
 */
export async function ensureSubscriptions(
  client: FhirTenantClient,
  scope: EhrCallScope,
  connection: EhrConnection,
  hook: NotificationHook,
): Promise<string[]> {
  const existing = (
    await client.search(scope, connection, 'Subscription', new URLSearchParams({ url: hook.endpoint }), 100)
  ).map(asObject);
  const ids: string[] = [];
  for (const type of WATCHED_RESOURCE_TYPES) {
    const criteria = `${type}?`;
    const current = existing.find(
      (subscription) =>
        subscription?.criteria === criteria && asObject(subscription.channel)?.endpoint === hook.endpoint,
    );
    const currentId = asString(current?.id);
    const response = await client.request(
      scope,
      connection,
      currentId
        ? {
            method: 'PUT',
            path: `Subscription/${encodeURIComponent(currentId)}`,
            json: subscriptionResource(criteria, hook, currentId),
          }
        : {
            method: 'POST',
            path: 'Subscription',
            json: subscriptionResource(criteria, hook),
            headers: { prefer: 'return=representation' },
          },
      'Subscription',
    );
    const id =
      asString(asObject(response?.body)?.id) ?? currentId ?? idFromLocation(response?.headers.location);
    if (!id) throw ehrUnavailable('no subscription id in the answer');
    ids.push(id);
  }
  return ids;
}

function idFromLocation(location: string | undefined): string | undefined {
  return location ? /Subscription\/([A-Za-z0-9._-]{1,64})/.exec(location)?.[1] : undefined;
}

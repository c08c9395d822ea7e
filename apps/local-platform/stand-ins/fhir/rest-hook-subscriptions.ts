import { randomUUID } from 'node:crypto';
import { matchesSearchRequest, parseSearchRequest } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Resource, Subscription } from '@medplum/fhirtypes';

export interface NotificationRecord {
  readonly subscriptionId: string;
  readonly focus: string;
  readonly endpoint: string;
  readonly attempts: number;
  readonly delivered: boolean;
  /** The last HTTP status answered, absent when the endpoint could not be reached. */
  readonly status?: number;
}

const RETRY_DELAYS_MS = [100, 400, 1600];
const DELIVERY_TIMEOUT_MS = 5000;

function isRestHook(subscription: Subscription): boolean {
  return subscription.channel?.type === 'rest-hook' && Boolean(subscription.channel.endpoint);
}

function headersOf(subscription: Subscription): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/fhir+json' };
  for (const line of subscription.channel?.header ?? []) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * R4 rest-hook subscriptions of one base, notifying with the id-only payload of the R4
 * Subscriptions Backport: the receiver re-reads the focus with its own token, so no resource
 * content travels in the notification.
 */
export class RestHookSubscriptions {
  readonly notifications: NotificationRecord[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #repo: FhirRepository;
  readonly #baseUrl: string;

  constructor(repo: FhirRepository, baseUrl: string) {
    this.#repo = repo;
    this.#baseUrl = baseUrl;
  }

  /** A newly written rest-hook Subscription that asks to run is activated on the spot. */
  async activate(subscription: Subscription): Promise<Subscription> {
    if (
      !isRestHook(subscription) ||
      (subscription.status !== 'requested' && subscription.status !== 'active')
    ) {
      return subscription;
    }
    if (subscription.status === 'active') return subscription;
    return this.#repo.updateResource({ ...subscription, status: 'active' });
  }

  /** Starts (does not await) a delivery to every active subscription the written resource matches. */
  async resourceWritten(resource: Resource & { id: string }, method: 'POST' | 'PUT'): Promise<void> {
    if (resource.resourceType === 'Subscription') return;
    const bundle = await this.#repo.search<Subscription>(parseSearchRequest('Subscription?status=active'));
    for (const entry of bundle.entry ?? []) {
      const subscription = entry.resource;
      if (!subscription || !isRestHook(subscription) || !subscription.criteria) continue;
      if (!this.#matches(subscription.criteria, resource)) continue;
      const delivery = this.#deliver(subscription, resource, method).finally(() =>
        this.#inFlight.delete(delivery),
      );
      this.#inFlight.add(delivery);
    }
  }

  /** A criteria string the server cannot parse matches nothing, rather than failing the write. */
  #matches(criteria: string, resource: Resource): boolean {
    try {
      const search = parseSearchRequest(criteria);
      return search.resourceType === resource.resourceType && matchesSearchRequest(resource, search);
    } catch {
      return false;
    }
  }

  async flush(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #deliver(
    subscription: Subscription & { id: string },
    resource: Resource & { id: string },
    method: 'POST' | 'PUT',
  ) {
    const reference = `${resource.resourceType}/${resource.id}`;
    const focus = `${reference}/_history/${resource.meta?.versionId}`;
    const endpoint = subscription.channel?.endpoint as string;
    const body = JSON.stringify({
      resourceType: 'Bundle',
      type: 'history',
      timestamp: new Date().toISOString(),
      entry: [
        {
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: {
            resourceType: 'Parameters',
            parameter: [
              { name: 'subscription', valueReference: { reference: `Subscription/${subscription.id}` } },
              { name: 'type', valueCode: 'event-notification' },
              { name: 'notification-event', part: [{ name: 'focus', valueReference: { reference: focus } }] },
            ],
          },
        },
        { fullUrl: `${this.#baseUrl}/${reference}`, request: { method, url: reference } },
      ],
    });
    let status: number | undefined;
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length + 1; attempt += 1) {
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          headers: headersOf(subscription),
          body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
        });
        status = response.status;
        await response.body?.cancel();
        if (response.ok) {
          this.notifications.push({
            subscriptionId: subscription.id,
            focus,
            endpoint,
            attempts: attempt,
            delivered: true,
            status,
          });
          return;
        }
      } catch {
        status = undefined;
      }
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (delay === undefined) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    this.notifications.push({
      subscriptionId: subscription.id,
      focus,
      endpoint,
      attempts: RETRY_DELAYS_MS.length + 1,
      delivered: false,
      ...(status === undefined ? {} : { status }),
    });
  }
}

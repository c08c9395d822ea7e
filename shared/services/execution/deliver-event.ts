import { z } from 'zod';
import { eventActor } from '../../domain/actors.ts';
import { TenantIdSchema } from '../../domain/identifiers.ts';
import type { Installation } from '../../domain/installation.ts';
import { isRetryableRefusal, type RunOutcome } from '../../domain/invocation.ts';
import { PLATFORM_EVENT_SOURCE } from '../../domain/platform-events.ts';
import type { PluginEvent } from '../../domain/plugin-api.ts';
import type { EventDeliveryMarkers } from '../../ports/event-delivery-markers.ts';
import { PLUGIN_EVENT_PREFIX } from '../../sandbox/event-names.ts';
import type { JsonValue } from '../../sandbox/schemas.ts';
import { executeInstallation } from './execute-installation.ts';
import type { ExecutionDependencies } from './execution-dependencies.ts';
import { MAX_EVENT_DEPTH } from './record-run.ts';

/** Longer than a run can take (the execution function's timeout), shorter than Lambda's first async retry. */
export const DELIVERY_LEASE_MS = 60_000;
const PAGE_SIZE = 100;

/** The EventBridge envelope of a subscribed event; `detail` holds ids only. */
export const SubscribedEventEnvelopeSchema = z.object({
  id: z.string().min(1).max(256),
  source: z.string(),
  'detail-type': z.string().min(1).max(256),
  time: z.string(),
  detail: z.looseObject({
    id: z.string().min(1).max(256).optional(),
    tenantId: TenantIdSchema,
    pluginId: z.string().optional(),
    depth: z.number().int().nonnegative().optional(),
    data: z.unknown().optional(),
  }),
});
export type SubscribedEventEnvelope = z.infer<typeof SubscribedEventEnvelopeSchema>;

export interface DeliveryReport {
  readonly eventId: string;
  readonly name: string;
  readonly delivered: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: readonly { pluginId: string; code: string }[];
}

/** Thrown so that Lambda and EventBridge retry the event, and dead-letter it when it keeps failing. */
export class EventDeliveryError extends Error {
  readonly failed: readonly { pluginId: string; code: string }[];

  constructor(eventId: string, failed: readonly { pluginId: string; code: string }[]) {
    super(
      `event ${eventId} failed for ${failed.map((entry) => `${entry.pluginId} (${entry.code})`).join(', ')}`,
    );
    this.name = 'EventDeliveryError';
    this.failed = failed;
  }
}

/**
 * Runs `onEvent` of every enabled installation in the event's tenant that subscribed to it. Each
 * plugin claims the event id first, so a redelivered event skips the plugins that already handled
 * it and only the failing ones run again. Final refusals (disabled meanwhile, revoked, unverified)
 * are audited, not retried; any other failure, the tenant's concurrent-run cap included, makes the
 * whole delivery throw after every subscriber had its turn, so Lambda and EventBridge retry it.
 */
export async function deliverEvent(
  envelope: unknown,
  deps: ExecutionDependencies & { markers: EventDeliveryMarkers },
): Promise<DeliveryReport> {
  const parsed = SubscribedEventEnvelopeSchema.safeParse(envelope);
  if (!parsed.success || parsed.data.source !== PLATFORM_EVENT_SOURCE) {
    throw new Error('not a subscribed platform event envelope');
  }
  const event = toDeliverableEvent(parsed.data);
  const report = {
    eventId: event.id,
    name: event.name,
    delivered: [] as string[],
    skipped: [] as string[],
    failed: [] as { pluginId: string; code: string }[],
  };
  if (event.depth > MAX_EVENT_DEPTH) return report;

  for (const installation of await subscribers(event, deps)) {
    const key = { tenantId: event.tenantId, pluginId: installation.pluginId, eventId: event.id };
    const claim = await deps.markers.claim(key, DELIVERY_LEASE_MS);
    if (claim.status === 'done') {
      report.skipped.push(installation.pluginId);
      continue;
    }
    if (claim.status === 'busy') {
      report.failed.push({ pluginId: installation.pluginId, code: 'DeliveryInProgress' });
      continue;
    }
    let code: string | undefined;
    try {
      const outcome = await executeInstallation(
        {
          tenantId: installation.tenantId,
          pluginId: installation.pluginId,
          entry: 'onEvent',
          input: onEventInputOf(event),
          actor: eventActor(event.name),
          requestId: `${event.id}/${installation.pluginId}`,
          eventDepth: event.depth,
        },
        deps,
      );
      code = failureToRetry(outcome);
    } catch (error) {
      await deps.markers.release(key, claim.token);
      throw error;
    }
    if (code === undefined) {
      await deps.markers.complete(key, claim.token);
      report.delivered.push(installation.pluginId);
    } else {
      await deps.markers.release(key, claim.token);
      report.failed.push({ pluginId: installation.pluginId, code });
    }
  }
  if (report.failed.length > 0) throw new EventDeliveryError(event.id, report.failed);
  return report;
}

/**
 * What makes a delivery fail and be retried: a run that failed, or a "not now" refusal (the
 * tenant at its concurrent-run cap). Final refusals (disabled meanwhile, revoked, unverified, not
 * installed) are audited, not retried.
 */
function failureToRetry(outcome: RunOutcome): string | undefined {
  switch (outcome.kind) {
    case 'ran':
      return outcome.result.ok ? undefined : outcome.result.error.code;
    case 'refused':
      return isRetryableRefusal(outcome.refusal) ? outcome.refusal.code : undefined;
    case 'crashed':
      return outcome.code;
  }
}

/** An event on its way to subscribers, with what delivery needs beyond what a plugin sees. */
interface DeliverableEvent {
  readonly id: string;
  readonly name: string;
  readonly time: string;
  readonly tenantId: string;
  /** Parsed from the bus's JSON, so JSON. */
  readonly data: JsonValue;
  readonly depth: number;
  /** The emitting plugin, for plugin events: it is not sent its own events. */
  readonly origin: string | undefined;
}

function toDeliverableEvent(envelope: SubscribedEventEnvelope): DeliverableEvent {
  const { id, tenantId, pluginId, depth, data, ...rest } = envelope.detail;
  const detailType = envelope['detail-type'];
  const isPluginEvent = detailType.startsWith(PLUGIN_EVENT_PREFIX);
  // Subscribers see the full name: a plugin event never reads as a platform one.
  const name = detailType;
  if (isPluginEvent && (pluginId === undefined || !name.startsWith(`${PLUGIN_EVENT_PREFIX}${pluginId}:`))) {
    throw new Error('plugin event name is not namespaced by its plugin');
  }
  return {
    id: id ?? envelope.id,
    name,
    time: envelope.time,
    tenantId,
    // Platform data events carry ids at the top of `detail`; plugin events carry their `data`.
    data: (isPluginEvent
      ? (data ?? null)
      : { ...rest, ...(pluginId === undefined ? {} : { pluginId }) }) as JsonValue,
    depth: depth ?? 0,
    origin: isPluginEvent ? pluginId : undefined,
  };
}

/**
 * What `onEvent` receives: typed by the `PluginEvent` the package publishes to plugin authors
 * (`gradiant-plugins/plugin`), so the two cannot drift.
 */
function onEventInputOf(event: DeliverableEvent): PluginEvent {
  return { id: event.id, name: event.name, time: event.time, tenantId: event.tenantId, data: event.data };
}

async function subscribers(event: DeliverableEvent, deps: ExecutionDependencies): Promise<Installation[]> {
  const found: Installation[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.installations.list(TenantIdSchema.parse(event.tenantId), {
      limit: PAGE_SIZE,
      cursor,
    });
    for (const installation of page.items) {
      if (installation.state !== 'enabled' || installation.pluginId === event.origin) continue;
      if ((installation.metadata.events as readonly string[]).includes(event.name)) found.push(installation);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

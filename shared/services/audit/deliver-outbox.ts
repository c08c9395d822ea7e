import { AuditRecordSchema, isAuditRecordEvent, type PlatformEvent } from '../../domain/platform-events.ts';
import { type TenantEvent, tenantEventOf } from '../../domain/tenant-events.ts';
import type { EventPublisher } from '../../ports/event-publisher.ts';
import type { PatientAuditIndex, PatientIndexEntry } from '../../ports/patient-audit-index.ts';
import { appendTenantEvent, type TenantEventAppendDependencies } from '../events/append-tenant-event.ts';
import { type AccessMonitorDependencies, monitorAuditEvents } from './access-monitor.ts';
import { appendToChain, type ChainAppendDependencies } from './append-to-chain.ts';

/** Entries published per bus call: a refusal costs the redelivery of at most this many. */
const PUBLISH_CHUNK = 10;

export interface OutboxDeliveryDependencies extends ChainAppendDependencies {
  /** The bus (EventBridge deployed, the local bus locally). */
  readonly bus: EventPublisher;
  readonly patientIndex: PatientAuditIndex;
  readonly monitor: AccessMonitorDependencies;
  /** The tenants' events feed (lifecycle, error, limit and advisory events). */
  readonly tenantEvents: TenantEventAppendDependencies;
  /**
   * Called with each tenant event once it holds its feed seq (a redelivered one again: webhook
   * receivers dedupe on the event id); the webhook deliveries start here.
   */
  readonly onFeedAppended?: (appended: readonly FeedAppended[]) => Promise<void>;
}

export interface FeedAppended {
  readonly event: TenantEvent;
  readonly seq: number;
}

export type DeliveryStage = 'publish' | 'chain' | 'feed' | 'webhooks' | 'patient-index' | 'access-monitor';

export interface OutboxDelivery {
  /** Index of the first entry not fully delivered: it and everything after it must come again. */
  readonly firstUndelivered?: number | undefined;
  /** Why, for the logs (error names only: never contents). */
  readonly failures: readonly {
    readonly stage: DeliveryStage;
    readonly index: number;
    readonly error: unknown;
  }[];
}

/** The patient index entries of one audit record: each patient it names, with the operations that touched them. */
export function patientIndexEntriesOf(event: PlatformEvent): PatientIndexEntry[] {
  const parsed = AuditRecordSchema.safeParse(event.detail);
  const tenantId = event.tenantId;
  if (!parsed.success || tenantId === undefined) return [];
  const record = parsed.data;
  const operations = new Map<string, Set<string>>();
  const touch = (patientId: string, operation?: string) => {
    const known = operations.get(patientId) ?? new Set<string>();
    if (operation !== undefined) known.add(operation);
    operations.set(patientId, known);
  };
  for (const patientId of record.resourceIds ?? []) touch(patientId);
  for (const access of record.dataAccess ?? [])
    for (const patientId of access.patientIds ?? []) touch(patientId, access.operation);
  return [...operations].map(([patientId, touched]) => ({
    tenantId,
    patientId,
    event,
    action: record.action,
    outcome: record.outcome,
    pluginId: record.pluginId,
    version: record.version,
    publisherId: record.publisherId,
    operations: [...touched].sort(),
  }));
}

/**
 * Delivers a batch of outbox entries, in stream order: every entry to the bus; every audit record
 * to its tenant's hash chain, to the patient index, and through the access-pattern rules; every
 * tenant event to its tenant's events feed, and from there to the tenant's webhooks. Each
 * step is idempotent by entry id, so when something fails the batch is answered as delivered up
 * to the first entry that was not, and the stream delivers the rest again (at least once to the
 * bus, exactly once into the chain).
 */
export async function deliverOutbox(
  entries: readonly PlatformEvent[],
  deps: OutboxDeliveryDependencies,
): Promise<OutboxDelivery> {
  const failures: { stage: DeliveryStage; index: number; error: unknown }[] = [];
  let limit = entries.length;
  const fail = (stage: DeliveryStage, index: number, error: unknown) => {
    failures.push({ stage, index, error });
    limit = Math.min(limit, index);
  };

  for (let start = 0; start < limit; start += PUBLISH_CHUNK) {
    try {
      await deps.bus.publish(entries.slice(start, Math.min(start + PUBLISH_CHUNK, limit)));
    } catch (error) {
      fail('publish', start, error);
    }
  }

  const records = () =>
    entries.flatMap((entry, index) => (index < limit && isAuditRecordEvent(entry) ? [{ entry, index }] : []));
  await inTenantOrder(records(), 'chain', fail, (entry) => appendToChain(entry, deps));

  const tenantEvents = entries.flatMap((entry, index) => {
    const event = index < limit ? tenantEventOf(entry) : undefined;
    return event === undefined ? [] : [{ entry, event, index }];
  });
  const appended: (FeedAppended & { index: number })[] = [];
  await inTenantOrder(tenantEvents, 'feed', fail, async (_entry, { event, index }) => {
    const { seq } = await appendTenantEvent(event, deps.tenantEvents);
    appended.push({ event, seq, index });
  });
  const reached = appended.filter(({ index }) => index < limit).sort((a, b) => a.index - b.index);
  if (reached.length > 0 && deps.onFeedAppended) {
    try {
      await deps.onFeedAppended(reached.map(({ event, seq }) => ({ event, seq })));
    } catch (error) {
      fail('webhooks', reached[0]?.index ?? 0, error);
    }
  }

  const indexed = records().flatMap(({ entry, index }) =>
    patientIndexEntriesOf(entry).map((indexEntry) => ({ indexEntry, index })),
  );
  if (indexed.length > 0) {
    try {
      await deps.patientIndex.put(indexed.map(({ indexEntry }) => indexEntry));
    } catch (error) {
      fail('patient-index', indexed[0]?.index ?? 0, error);
    }
  }

  const monitored = records();
  if (monitored.length > 0) {
    try {
      const outcome = await monitorAuditEvents(
        monitored.map(({ entry }) => entry),
        deps.monitor,
      );
      const unsettled = new Set(outcome.unsettledEventIds);
      const first = monitored.find(({ entry }) => unsettled.has(entry.id));
      if (first) fail('access-monitor', first.index, new Error('access monitor state kept colliding'));
    } catch (error) {
      fail('access-monitor', monitored[0]?.index ?? 0, error);
    }
  }

  return { firstUndelivered: limit < entries.length ? limit : undefined, failures };
}

/** Runs a step over each tenant's entries in order (tenants side by side); a tenant stops at its first failure. */
async function inTenantOrder<Item extends { entry: PlatformEvent; index: number }>(
  items: readonly Item[],
  stage: DeliveryStage,
  fail: (stage: DeliveryStage, index: number, error: unknown) => void,
  step: (entry: PlatformEvent, item: Item) => Promise<unknown>,
): Promise<void> {
  const byTenant = new Map<string, Item[]>();
  for (const item of items) {
    const key = item.entry.tenantId ?? '';
    byTenant.set(key, [...(byTenant.get(key) ?? []), item]);
  }
  await Promise.all(
    [...byTenant.values()].map(async (tenantItems) => {
      for (const item of tenantItems) {
        try {
          await step(item.entry, item);
        } catch (error) {
          fail(stage, item.index, error);
          return;
        }
      }
    }),
  );
}

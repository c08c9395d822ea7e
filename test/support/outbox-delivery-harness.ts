import type { PlatformEvent } from '../../shared/domain/platform-events.ts';
import type { OutboxDeliveryDependencies } from '../../shared/services/audit/deliver-outbox.ts';
import { InMemoryAccessMonitorState } from './fakes/in-memory-access-monitor-state.ts';
import { InMemoryAuditChainHeads } from './fakes/in-memory-audit-chain-heads.ts';
import { InMemoryAuditChainStore } from './fakes/in-memory-audit-chain-store.ts';
import { InMemoryEventPublisher } from './fakes/in-memory-event-publisher.ts';
import { InMemoryOutbox } from './fakes/in-memory-outbox.ts';
import { InMemoryPatientAuditIndex } from './fakes/in-memory-patient-audit-index.ts';
import { InMemorySecurityMetrics } from './fakes/in-memory-security-metrics.ts';
import { InMemoryTenantEventFeed } from './fakes/in-memory-tenant-event-feed.ts';
import { InMemoryTenantPolicyRepository } from './fakes/in-memory-tenant-policy-repository.ts';

/** The consumer's dependencies in memory, with a clock that moves a second per read. */
export function outboxDeliveryHarness(startMs = Date.UTC(2030, 0, 7, 12)) {
  let now = startMs;
  let nextId = 0;
  const clock = {
    now: () => {
      now += 1000;
      return new Date(now);
    },
  };
  const ids = {
    next: () => {
      nextId += 1;
      return `generated-${nextId}`;
    },
  };
  const bus = new InMemoryEventPublisher();
  const heads = new InMemoryAuditChainHeads();
  const chain = new InMemoryAuditChainStore();
  const patientIndex = new InMemoryPatientAuditIndex();
  const outbox = new InMemoryOutbox();
  const feed = new InMemoryTenantEventFeed();
  const deps = {
    bus,
    heads,
    chainWriter: chain,
    clock,
    patientIndex,
    monitor: {
      outbox,
      auditRetry: { attempts: 1, baseDelayMs: 0 },
      monitorState: new InMemoryAccessMonitorState(),
      policies: new InMemoryTenantPolicyRepository(),
      metrics: new InMemorySecurityMetrics(),
      clock,
      ids,
    },
    tenantEvents: { feed, clock },
  } satisfies OutboxDeliveryDependencies;
  return { deps, bus, heads, chain, patientIndex, outbox, feed };
}

/** An outbox entry: an audit record (`audit:<action>`) or another event. */
export function outboxEntry(
  id: string,
  options: { name?: string; tenantId?: string | undefined; detail?: Record<string, unknown> } = {},
): PlatformEvent {
  const tenantId = 'tenantId' in options ? options.tenantId : 't-one';
  const name = options.name ?? 'audit:plugin:installed';
  const detail = name.startsWith('audit:')
    ? {
        action: name.slice('audit:'.length),
        outcome: 'success',
        actor: 'user:u1',
        ...(tenantId ? { tenantId } : {}),
        ...options.detail,
      }
    : { ...options.detail };
  return {
    id,
    name,
    time: new Date(Date.UTC(2030, 0, 7, 11, 0, Number(id.replace(/\D/g, '') || 0) % 60)).toISOString(),
    ...(tenantId === undefined ? {} : { tenantId }),
    detail,
  };
}

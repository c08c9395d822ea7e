import { ConflictError } from '../../../shared/domain/errors.ts';
import type { PluginId, TenantId } from '../../../shared/domain/identifiers.ts';
import type { Installation } from '../../../shared/domain/installation.ts';
import type { AuditRecord, PlatformEvent } from '../../../shared/domain/platform-events.ts';
import { sha256Hex } from '../../../shared/domain/signatures.ts';
import {
  DEFAULT_TENANT_POLICY,
  type StoredTenantPolicy,
  type TenantPolicy,
} from '../../../shared/domain/tenant-policy.ts';
import type { ArtifactStore, SignedStatement } from '../../../shared/ports/artifact-store.ts';
import type { AuditLog } from '../../../shared/ports/audit-log.ts';
import type { EventPublisher } from '../../../shared/ports/event-publisher.ts';
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../../shared/ports/idempotency-store.ts';
import type { InstallationRepository } from '../../../shared/ports/installation-repository.ts';
import type { Page, PageRequest } from '../../../shared/ports/page.ts';
import type { PublisherKey, PublisherKeyRepository } from '../../../shared/ports/publisher-key-repository.ts';
import type { CatalogueRelease, ReleaseCatalogue } from '../../../shared/ports/release-catalogue.ts';
import type { TenantPolicyRepository } from '../../../shared/ports/tenant-policy-repository.ts';
import type {
  BlastRadiusEntry,
  InvocationRecord,
  UsageRepository,
  UsageSummary,
} from '../../../shared/ports/usage-repository.ts';

/** In-memory ports for lifecycle service tests; they keep the adapters' contracts (conflicts, revisions). */
export class InMemoryInstallationRepository implements InstallationRepository {
  readonly items = new Map<string, Installation>();
  private key = (tenantId: string, pluginId: string) => `${tenantId}/${pluginId}`;

  async list(tenantId: TenantId, page: PageRequest): Promise<Page<Installation>> {
    const all = [...this.items.values()]
      .filter((item) => item.tenantId === tenantId)
      .sort((a, b) => a.pluginId.localeCompare(b.pluginId));
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit);
    return {
      items: structuredClone(items),
      nextCursor: start + page.limit < all.length ? String(start + page.limit) : undefined,
    };
  }

  async get(tenantId: TenantId, pluginId: PluginId): Promise<Installation | undefined> {
    return structuredClone(this.items.get(this.key(tenantId, pluginId)));
  }

  async create(installation: Installation): Promise<void> {
    const key = this.key(installation.tenantId, installation.pluginId);
    if (this.items.has(key))
      throw new ConflictError('ALREADY_INSTALLED', 'already installed', { field: 'id' });
    this.items.set(key, structuredClone(installation));
  }

  async update(installation: Installation): Promise<void> {
    const key = this.key(installation.tenantId, installation.pluginId);
    if (this.items.get(key)?.revision !== installation.revision - 1) {
      throw new ConflictError('CONCURRENT_MODIFICATION', 'changed meanwhile');
    }
    this.items.set(key, structuredClone(installation));
  }

  async delete(tenantId: TenantId, pluginId: PluginId, expectedRevision: number): Promise<void> {
    const key = this.key(tenantId, pluginId);
    if (this.items.get(key)?.revision !== expectedRevision)
      throw new ConflictError('CONCURRENT_MODIFICATION', 'changed');
    this.items.delete(key);
  }

  async listByPlugin(pluginId: PluginId): Promise<Installation[]> {
    return [...this.items.values()]
      .filter((item) => item.pluginId === pluginId)
      .map((item) => structuredClone(item));
  }
}

export class InMemoryTenantPolicyRepository implements TenantPolicyRepository {
  readonly stored = new Map<string, StoredTenantPolicy>();

  async get(tenantId: TenantId): Promise<StoredTenantPolicy> {
    return structuredClone(this.stored.get(tenantId) ?? { policy: DEFAULT_TENANT_POLICY, version: 0 });
  }

  async put(tenantId: TenantId, policy: TenantPolicy, expectedVersion: number, actor: string, at: Date) {
    if ((this.stored.get(tenantId)?.version ?? 0) !== expectedVersion)
      throw new ConflictError('CONCURRENT_MODIFICATION', 'x');
    const next = { policy, version: expectedVersion + 1, updatedAt: at.toISOString(), updatedBy: actor };
    this.stored.set(tenantId, next);
    return structuredClone(next);
  }

  /** Test convenience: start a tenant from the defaults with some rules changed. */
  set(tenantId: string, changes: Partial<TenantPolicy>): void {
    this.stored.set(tenantId, { policy: { ...DEFAULT_TENANT_POLICY, ...changes }, version: 1 });
  }
}

export class InMemoryArtifactStore implements ArtifactStore {
  readonly artifacts = new Map<string, Uint8Array>();
  readonly statements = new Map<string, SignedStatement>();

  async putArtifact(bytes: Uint8Array) {
    const sha256 = sha256Hex(bytes);
    this.artifacts.set(sha256, new Uint8Array(bytes));
    return { sha256 };
  }

  async getArtifact(sha256: string) {
    return this.artifacts.get(sha256);
  }

  async putStatement(pluginId: string, version: string, statement: SignedStatement) {
    this.statements.set(`${pluginId}@${version}`, statement);
  }

  async getStatement(pluginId: string, version: string) {
    return this.statements.get(`${pluginId}@${version}`);
  }
}

export class InMemoryReleases implements ReleaseCatalogue {
  readonly releases: CatalogueRelease[] = [];

  async getRelease(pluginId: string, version: string) {
    return this.releases.find((release) => release.pluginId === pluginId && release.version === version);
  }

  async listReleases(pluginId: string) {
    return this.releases.filter((release) => release.pluginId === pluginId);
  }
}

export class InMemoryPublisherKeyList implements PublisherKeyRepository {
  readonly keys = new Map<string, PublisherKey>();

  async create(key: PublisherKey) {
    if (this.keys.has(key.keyId)) throw new ConflictError('KEY_EXISTS', 'exists');
    this.keys.set(key.keyId, key);
  }

  async get(keyId: string) {
    return this.keys.get(keyId);
  }
}

export class RecordingEventPublisher implements EventPublisher {
  readonly events: PlatformEvent[] = [];

  async publish(events: readonly PlatformEvent[]) {
    this.events.push(...structuredClone(events));
  }

  names(): string[] {
    return this.events.map((event) => event.name);
  }
}

export class RecordingAuditLog implements AuditLog {
  readonly records: AuditRecord[] = [];

  async record(record: AuditRecord) {
    this.records.push(structuredClone(record));
  }
}

export class InMemoryUsageLedger implements UsageRepository {
  readonly records: InvocationRecord[] = [];

  async record(record: InvocationRecord) {
    this.records.push(record);
  }

  async summarize(tenantId: string, pluginId: string): Promise<UsageSummary> {
    const mine = this.records.filter(
      (record) => record.tenantId === tenantId && record.pluginId === pluginId,
    );
    const totals = { wallMs: 0, cpuMs: 0, peakHeapBytes: 0, dataCalls: 0, networkCalls: 0, storageBytes: 0 };
    const byVersion: Record<string, { invocations: number; failures: number }> = {};
    for (const record of mine) {
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += record.usage[key];
      const entry = byVersion[record.version] ?? { invocations: 0, failures: 0 };
      byVersion[record.version] = entry;
      entry.invocations += 1;
      if (!record.ok) entry.failures += 1;
    }
    return {
      pluginId,
      invocations: mine.length,
      failures: mine.filter((record) => !record.ok).length,
      totals,
      lastInvokedAt: mine.at(-1)?.at,
      byVersion,
    };
  }

  async blastRadius(pluginId: string, version: string): Promise<BlastRadiusEntry[]> {
    const byTenant = new Map<string, { invocations: number; patientIds: Set<string> }>();
    for (const record of this.records.filter((r) => r.pluginId === pluginId && r.version === version)) {
      const entry = byTenant.get(record.tenantId) ?? { invocations: 0, patientIds: new Set<string>() };
      entry.invocations += 1;
      for (const id of record.touchedPatientIds) entry.patientIds.add(id);
      byTenant.set(record.tenantId, entry);
    }
    return [...byTenant].map(([tenantId, entry]) => ({
      tenantId,
      invocations: entry.invocations,
      patientIds: [...entry.patientIds],
    }));
  }
}

export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, { hash: string; response?: StoredResponse }>();

  async claim(tenantId: string, scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const id = `${tenantId}/${scope}/${key}`;
    const existing = this.records.get(id);
    if (!existing) {
      this.records.set(id, { hash: requestHash });
      return { kind: 'claimed' };
    }
    if (existing.hash !== requestHash) return { kind: 'mismatch' };
    return existing.response ? { kind: 'replay', response: existing.response } : { kind: 'in-progress' };
  }

  async complete(tenantId: string, scope: string, key: string, response: StoredResponse) {
    const record = this.records.get(`${tenantId}/${scope}/${key}`);
    if (record) record.response = structuredClone(response);
  }

  async release(tenantId: string, scope: string, key: string) {
    this.records.delete(`${tenantId}/${scope}/${key}`);
  }
}

import { bucketStartOf, type UsageBucket, type UsageWindow } from '../../../shared/domain/usage-series.ts';
import type {
  BlastRadiusEntry,
  InvocationRecord,
  UsageRepository,
  UsageSummary,
} from '../../../shared/ports/usage-repository.ts';

export class InMemoryUsageRepository implements UsageRepository {
  readonly records: InvocationRecord[] = [];

  async record(record: InvocationRecord) {
    this.records.push(structuredClone(record));
  }

  async summarize(tenantId: string, pluginId: string): Promise<UsageSummary> {
    const mine = this.records.filter(
      (record) => record.tenantId === tenantId && record.pluginId === pluginId,
    );
    const totals = { wallMs: 0, cpuMs: 0, peakHeapBytes: 0, dataCalls: 0, networkCalls: 0, storageBytes: 0 };
    const byVersion: Record<string, { invocations: number; failures: number }> = {};
    for (const record of mine) {
      for (const field of Object.keys(totals) as (keyof typeof totals)[])
        totals[field] += record.usage[field];
      const entry = byVersion[record.version] ?? { invocations: 0, failures: 0 };
      byVersion[record.version] = entry;
      entry.invocations++;
      if (!record.ok) entry.failures++;
    }
    return {
      pluginId,
      invocations: mine.length,
      failures: mine.filter((record) => !record.ok).length,
      totals,
      lastInvokedAt: mine
        .map((record) => record.at)
        .sort()
        .at(-1),
      byVersion,
    };
  }

  /** One bucket per record in the window: the service's gap filling adds them up. */
  async series(tenantId: string, pluginId: string, window: UsageWindow): Promise<UsageBucket[]> {
    return this.records
      .filter((record) => record.tenantId === tenantId && record.pluginId === pluginId)
      .map((record) => ({ record, startMs: bucketStartOf(Date.parse(record.at), window.interval) }))
      .filter(({ startMs }) => startMs >= window.fromMs && startMs < window.toMs)
      .map(({ record, startMs }) => ({
        start: new Date(startMs).toISOString(),
        invocations: 1,
        failures: record.ok ? 0 : 1,
        limitBreaches: record.isLimitBreach === true ? 1 : 0,
        wallMs: record.usage.wallMs,
        cpuMs: record.usage.cpuMs,
        peakHeapBytes: record.usage.peakHeapBytes,
        dataCalls: record.usage.dataCalls,
        networkCalls: record.usage.networkCalls,
      }));
  }

  async blastRadius(pluginId: string, version: string): Promise<BlastRadiusEntry[]> {
    const byTenant = new Map<string, { invocations: number; patientIds: Set<string> }>();
    for (const record of this.records) {
      if (record.pluginId !== pluginId || record.version !== version) continue;
      const entry = byTenant.get(record.tenantId) ?? { invocations: 0, patientIds: new Set<string>() };
      entry.invocations++;
      for (const id of record.touchedPatientIds) entry.patientIds.add(id);
      byTenant.set(record.tenantId, entry);
    }
    return [...byTenant].map(([tenantId, entry]) => ({
      tenantId,
      invocations: entry.invocations,
      patientIds: [...entry.patientIds].sort(),
    }));
  }
}

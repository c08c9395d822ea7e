import type { InvocationResult } from '../domain/invocation.ts';
import type { UsageBucket, UsageWindow } from '../domain/usage-series.ts';
import type { UsageSummary } from '../domain/usage-summary.ts';

export interface InvocationRecord {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly version: string;
  readonly at: string;
  readonly ok: boolean;
  readonly errorCode?: string | undefined;
  /** The run was stopped by one of its limits (time, memory, CPU, rate, quota). */
  readonly isLimitBreach?: boolean | undefined;
  readonly usage: InvocationResult['usage'];
  /** Ids of EHR records the run read or changed (never their contents), for the blast radius. */
  readonly touchedPatientIds: readonly string[];
}

export type { UsageSummary } from '../domain/usage-summary.ts';

export interface BlastRadiusEntry {
  readonly tenantId: string;
  readonly invocations: number;
  readonly patientIds: readonly string[];
}

/**
 * Per-invocation usage, aggregated atomically per tenant, plugin and version, and per tenant and
 * plugin into minute, hour and day buckets.
 */
export interface UsageRepository {
  record(record: InvocationRecord): Promise<void>;
  summarize(tenantId: string, pluginId: string): Promise<UsageSummary>;
  /** The stored buckets of the window's interval in [fromMs, toMs), empty ones left out. */
  series(tenantId: string, pluginId: string, window: UsageWindow): Promise<UsageBucket[]>;
  /** Tenants that ran this version, with invocation counts and touched patient ids. */
  blastRadius(pluginId: string, version: string): Promise<BlastRadiusEntry[]>;
}

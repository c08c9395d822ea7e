import type { InvocationResult } from '../domain/invocation.ts';

/** One finished run as a metric sample: ids only (they become dimensions), never PHI. */
export interface RunSample {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly ok: boolean;
  readonly isLimitBreach: boolean;
  readonly usage: InvocationResult['usage'];
}

/** Where each run's figures go as metrics (CloudWatch EMF deployed); published per run. */
export interface RunMetrics {
  publish(sample: RunSample): void;
}

/**
 * The metrics each run publishes (powertools-run-metrics.ts) and the usage dashboard charts
 * (infra/constructs/usage-dashboard.ts), with the statistic that makes sense of each: counts and
 * times add up, the heap peak is a maximum.
 */
export const RUN_METRICS = [
  { name: 'Invocations', statistic: 'Sum', title: 'Invocations' },
  { name: 'Errors', statistic: 'Sum', title: 'Errors (failed runs)' },
  { name: 'LimitBreaches', statistic: 'Sum', title: 'Limit breaches (time, memory, CPU, rate, quota)' },
  { name: 'WallTime', statistic: 'Sum', title: 'Wall time (ms)' },
  { name: 'CpuTime', statistic: 'Sum', title: 'CPU time (ms)' },
  { name: 'PeakHeap', statistic: 'Maximum', title: 'Peak heap (bytes, maximum)' },
  { name: 'DataCalls', statistic: 'Sum', title: 'Data calls' },
  { name: 'NetworkCalls', statistic: 'Sum', title: 'Network calls' },
] as const;
export type RunMetricName = (typeof RUN_METRICS)[number]['name'];

/** The dimensions of every run metric besides Powertools' own `service`: ids only, never PHI. */
export const RUN_METRIC_DIMENSIONS = ['tenantId', 'pluginId'] as const;

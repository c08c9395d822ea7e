import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RunMetrics, RunSample } from '../../ports/run-metrics.ts';
import type { RunMetricName } from './run-metric-names.ts';

/**
 * Each run's figures as CloudWatch metrics in embedded metric format (one JSON line on stdout per
 * run, which Lambda's log delivery turns into metrics), with the tenant and plugin ids as
 * dimensions. Published per run, so one invocation's dimensions never leak into the next's.
 * `isEnabled: false` (tests, a silent local platform) skips writing; Powertools itself also honours
 * POWERTOOLS_METRICS_DISABLED.
 */
type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

export class PowertoolsRunMetrics implements RunMetrics {
  private readonly metrics: Metrics;
  private readonly isEnabled: boolean;

  constructor(options: { namespace: string; serviceName: string; isEnabled?: boolean; metrics?: Metrics }) {
    this.metrics =
      options.metrics ?? new Metrics({ namespace: options.namespace, serviceName: options.serviceName });
    this.isEnabled = options.isEnabled ?? true;
  }

  publish({ tenantId, pluginId, ok, isLimitBreach, usage }: RunSample): void {
    if (!this.isEnabled) return;
    const { metrics } = this;
    metrics.addDimensions({ tenantId, pluginId });
    const figures: [RunMetricName, Unit, number][] = [
      ['Invocations', MetricUnit.Count, 1],
      ['Errors', MetricUnit.Count, ok ? 0 : 1],
      ['LimitBreaches', MetricUnit.Count, isLimitBreach ? 1 : 0],
      ['WallTime', MetricUnit.Milliseconds, usage.wallMs],
      ['CpuTime', MetricUnit.Milliseconds, usage.cpuMs],
      ['PeakHeap', MetricUnit.Bytes, usage.peakHeapBytes],
      ['DataCalls', MetricUnit.Count, usage.dataCalls],
      ['NetworkCalls', MetricUnit.Count, usage.networkCalls],
    ];
    for (const [name, unit, value] of figures) metrics.addMetric(name, unit, value);
    metrics.publishStoredMetrics();
  }
}

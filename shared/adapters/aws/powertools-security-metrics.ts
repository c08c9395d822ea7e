import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Anomaly } from '../../domain/access-monitoring/anomaly.ts';
import type { SecurityMetrics } from '../../ports/security-metrics.ts';

export const SECURITY_METRICS_NAMESPACE = 'GradiantPlugins/Security';
export const ANOMALY_METRIC_NAME = 'SecurityAnomalies';

/**
 * Each raised anomaly as one CloudWatch metric in embedded metric format (Powertools Metrics, as
 * the run metrics), published at once so no dimension carries over to the next. The rule is the
 * only dimension besides the service (tenants would multiply the metric's cost); tenant and plugin
 * ids ride along as searchable metadata.
 */
export class PowertoolsSecurityMetrics implements SecurityMetrics {
  private readonly metrics: Metrics;

  constructor(options: { serviceName: string; metrics?: Metrics }) {
    this.metrics =
      options.metrics ??
      new Metrics({ namespace: SECURITY_METRICS_NAMESPACE, serviceName: options.serviceName });
  }

  anomalyRaised(anomaly: Anomaly, at: Date): void {
    const { metrics } = this;
    metrics.setTimestamp(at);
    metrics.addDimension('rule', anomaly.rule);
    if (anomaly.tenantId !== undefined) metrics.addMetadata('tenantId', anomaly.tenantId);
    if (anomaly.pluginId !== undefined) metrics.addMetadata('pluginId', anomaly.pluginId);
    metrics.addMetric(ANOMALY_METRIC_NAME, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
  }
}

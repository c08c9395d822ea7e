import type { Anomaly } from '../../domain/access-monitoring/anomaly.ts';
import type { SecurityMetrics } from '../../ports/security-metrics.ts';

export const SECURITY_METRICS_NAMESPACE = 'GradiantPlugins/Security';
export const ANOMALY_METRIC_NAME = 'SecurityAnomalies';

/**
 * CloudWatch Embedded Metric Format: one JSON line on stdout that Lambda's log pipeline turns into
 * the metric, with no PutMetricData call on the hot path. The only dimension is the rule (tenants
 * would multiply the metric's cost); tenant and plugin ids ride along as searchable properties.
 */
export class EmfSecurityMetrics implements SecurityMetrics {
  private readonly write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {
    this.write = write;
  }

  anomalyRaised(anomaly: Anomaly, at: Date): void {
    this.write(
      JSON.stringify({
        _aws: {
          Timestamp: at.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: SECURITY_METRICS_NAMESPACE,
              Dimensions: [['rule']],
              Metrics: [{ Name: ANOMALY_METRIC_NAME, Unit: 'Count' }],
            },
          ],
        },
        rule: anomaly.rule,
        ...(anomaly.tenantId === undefined ? {} : { tenantId: anomaly.tenantId }),
        ...(anomaly.pluginId === undefined ? {} : { pluginId: anomaly.pluginId }),
        [ANOMALY_METRIC_NAME]: 1,
      }),
    );
  }
}

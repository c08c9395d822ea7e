import type { Anomaly } from '../../../shared/domain/access-monitoring/anomaly.ts';
import type { SecurityMetrics } from '../../../shared/ports/security-metrics.ts';

export class InMemorySecurityMetrics implements SecurityMetrics {
  readonly raised: { rule: Anomaly['rule']; tenantId?: string | undefined; at: Date }[] = [];

  anomalyRaised(anomaly: Anomaly, at: Date): void {
    this.raised.push({ rule: anomaly.rule, tenantId: anomaly.tenantId, at });
  }
}

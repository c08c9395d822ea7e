import { describe, expect, it } from 'vitest';
import {
  ANOMALY_METRIC_NAME,
  PowertoolsSecurityMetrics,
  SECURITY_METRICS_NAMESPACE,
} from '../../../../../shared/adapters/aws/powertools-security-metrics.ts';
import type { Anomaly } from '../../../../../shared/domain/access-monitoring/anomaly.ts';
import { capturingMetrics } from '../../../../support/capturing-metrics.ts';

const at = new Date(Date.UTC(2030, 0, 7, 12));
const anomaly = (overrides: Partial<Anomaly> = {}): Anomaly => ({
  rule: 'OffHoursBulkAccess',
  tenantId: 't-one',
  pluginId: 'p1',
  windowStart: at.toISOString(),
  windowEnd: at.toISOString(),
  observed: 60,
  threshold: 50,
  evidenceRecordIds: ['r-1'],
  ...overrides,
});

describe('PowertoolsSecurityMetrics', () => {
  it('publishes one EMF document per anomaly, dimensioned by rule, with the ids as metadata', () => {
    const { metrics, documents } = capturingMetrics({
      namespace: SECURITY_METRICS_NAMESPACE,
      serviceName: 'audit-monitor',
    });
    const security = new PowertoolsSecurityMetrics({ serviceName: 'audit-monitor', metrics });

    security.anomalyRaised(anomaly(), at);

    expect(documents).toHaveLength(1);
    const [document] = documents as [
      { _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] } },
    ];
    expect(document).toMatchObject({
      rule: 'OffHoursBulkAccess',
      tenantId: 't-one',
      pluginId: 'p1',
      [ANOMALY_METRIC_NAME]: 1,
    });
    expect(document._aws.Timestamp).toBe(at.getTime());
    expect(document._aws.CloudWatchMetrics[0]?.Namespace).toBe(SECURITY_METRICS_NAMESPACE);
    expect(document._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'rule']]);
  });

  it('carries no dimension or id over to the next anomaly', () => {
    const { metrics, documents } = capturingMetrics({
      namespace: SECURITY_METRICS_NAMESPACE,
      serviceName: 'audit-monitor',
    });
    const security = new PowertoolsSecurityMetrics({ serviceName: 'audit-monitor', metrics });

    security.anomalyRaised(anomaly(), at);
    security.anomalyRaised(
      anomaly({ rule: 'PublisherVerificationFailures', tenantId: undefined, pluginId: undefined }),
      at,
    );

    expect(documents[1]).toMatchObject({ rule: 'PublisherVerificationFailures' });
    expect(documents[1]).not.toHaveProperty('tenantId');
  });
});

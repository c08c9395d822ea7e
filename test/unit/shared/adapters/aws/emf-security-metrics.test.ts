import { describe, expect, it } from 'vitest';
import { EmfSecurityMetrics } from '../../../../../shared/adapters/aws/emf-security-metrics.ts';

describe('EmfSecurityMetrics', () => {
  it('writes one Embedded Metric Format line per anomaly, dimensioned by rule only', () => {
    const lines: string[] = [];
    const metrics = new EmfSecurityMetrics((line) => lines.push(line));
    const at = new Date(Date.UTC(2030, 0, 7, 12));

    metrics.anomalyRaised(
      {
        rule: 'OffHoursBulkAccess',
        tenantId: 't-one',
        pluginId: 'p1',
        windowStart: at.toISOString(),
        windowEnd: at.toISOString(),
        observed: 60,
        threshold: 50,
        evidenceRecordIds: ['r-1'],
      },
      at,
    );

    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        _aws: {
          Timestamp: at.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: 'GradiantPlugins/Security',
              Dimensions: [['rule']],
              Metrics: [{ Name: 'SecurityAnomalies', Unit: 'Count' }],
            },
          ],
        },
        rule: 'OffHoursBulkAccess',
        tenantId: 't-one',
        pluginId: 'p1',
        SecurityAnomalies: 1,
      },
    ]);
  });
});

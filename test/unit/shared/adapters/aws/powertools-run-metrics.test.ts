import { describe, expect, it } from 'vitest';
import { PowertoolsRunMetrics } from '../../../../../shared/adapters/aws/powertools-run-metrics.ts';
import { RUN_METRICS } from '../../../../../shared/adapters/aws/run-metric-names.ts';
import type { RunSample } from '../../../../../shared/ports/run-metrics.ts';
import { capturingMetrics as capturing } from '../../../../support/capturing-metrics.ts';

const capturingMetrics = () => capturing({ namespace: 'GradiantPlugins', serviceName: 'plugin-execution' });

const sample = (overrides: Partial<RunSample> = {}): RunSample => ({
  tenantId: 't-acme',
  pluginId: 'reader',
  ok: false,
  isLimitBreach: true,
  usage: { wallMs: 12, cpuMs: 3, peakHeapBytes: 4_096, dataCalls: 2, networkCalls: 1, storageBytes: 0 },
  ...overrides,
});

describe('PowertoolsRunMetrics', () => {
  it('publishes one EMF document per run with the tenant and plugin ids as dimensions', () => {
    const { metrics, documents } = capturingMetrics();
    const runMetrics = new PowertoolsRunMetrics({ namespace: 'GradiantPlugins', serviceName: 'x', metrics });

    runMetrics.publish(sample());

    expect(documents).toHaveLength(1);
    const [document] = documents;
    expect(document).toMatchObject({
      service: 'plugin-execution',
      tenantId: 't-acme',
      pluginId: 'reader',
      Invocations: 1,
      Errors: 1,
      LimitBreaches: 1,
      WallTime: 12,
      CpuTime: 3,
      PeakHeap: 4_096,
      DataCalls: 2,
      NetworkCalls: 1,
    });
    const [directive] = (
      (document?._aws ?? { CloudWatchMetrics: [] }) as {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      }
    ).CloudWatchMetrics;
    expect(directive?.Namespace).toBe('GradiantPlugins');
    expect(directive?.Dimensions).toEqual([['service', 'tenantId', 'pluginId']]);
    expect(directive?.Metrics.map((metric) => metric.Name).sort()).toEqual(
      RUN_METRICS.map((metric) => metric.name).sort(),
    );
  });

  it("never carries one run's dimensions into the next run's document", () => {
    const { metrics, documents } = capturingMetrics();
    const runMetrics = new PowertoolsRunMetrics({ namespace: 'GradiantPlugins', serviceName: 'x', metrics });

    runMetrics.publish(sample());
    runMetrics.publish(sample({ tenantId: 't-globex', pluginId: 'writer', ok: true, isLimitBreach: false }));

    expect(documents.map((document) => [document.tenantId, document.pluginId, document.Errors])).toEqual([
      ['t-acme', 'reader', 1],
      ['t-globex', 'writer', 0],
    ]);
  });

  it('writes nothing when disabled', () => {
    const { metrics, documents } = capturingMetrics();
    const runMetrics = new PowertoolsRunMetrics({
      namespace: 'GradiantPlugins',
      serviceName: 'x',
      metrics,
      isEnabled: false,
    });

    runMetrics.publish(sample());

    expect(documents).toEqual([]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});

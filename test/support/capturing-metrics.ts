import { Metrics } from '@aws-lambda-powertools/metrics';
import { vi } from 'vitest';

/** A Powertools Metrics whose flush captures the EMF document instead of writing it to stdout. */
export function capturingMetrics(options: { namespace: string; serviceName: string }) {
  const metrics = new Metrics(options);
  const documents: Record<string, unknown>[] = [];
  vi.spyOn(metrics, 'publishStoredMetrics').mockImplementation(() => {
    documents.push(metrics.serializeMetrics() as unknown as Record<string, unknown>);
    // What the real flush clears after writing.
    metrics.clearMetrics();
    metrics.clearDimensions();
    metrics.clearMetadata();
    return metrics;
  });
  return { metrics, documents };
}

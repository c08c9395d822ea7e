import type { Anomaly } from '../domain/access-monitoring/anomaly.ts';

/** Counts what the access monitor raises, so dashboards and alarms see anomalies by rule. */
export interface SecurityMetrics {
  anomalyRaised(anomaly: Anomaly, at: Date): void;
}

import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { RUN_METRIC_DIMENSIONS, RUN_METRICS } from '../../shared/adapters/aws/run-metric-names.ts';

export interface UsageDashboardProps {
  /** The EMF namespace the execution function writes (POWERTOOLS_METRICS_NAMESPACE). */
  readonly namespace: string;
  /** The execution function's POWERTOOLS_SERVICE_NAME: Powertools adds it as a dimension. */
  readonly serviceName: string;
}

/**
 * Plugin resource usage over time: one graph per run metric, one line per tenant and plugin.
 * Each graph is a CloudWatch SEARCH over the metric's dimension set, so a new tenant or plugin
 * appears without a deployment (ids only are dimensions: no PHI reaches CloudWatch).
 */
export class UsageDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: UsageDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const schema = [props.namespace, 'service', ...RUN_METRIC_DIMENSIONS].join(',');
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new TextWidget({
            markdown: `# Plugin usage\nPer tenant and plugin (${RUN_METRIC_DIMENSIONS.join(', ')}), from the execution function's embedded metrics. Peak heap is a maximum; the rest are sums per ${period.toMinutes()} minutes.`,
            width: 24,
            height: 2,
          }),
        ],
        RUN_METRICS.map(
          (metric) =>
            new GraphWidget({
              title: metric.title,
              width: 6,
              left: [
                new MathExpression({
                  expression: `SEARCH('{${schema}} service="${props.serviceName}" MetricName="${metric.name}"', '${metric.statistic}', ${period.toSeconds()})`,
                  label: metric.name,
                  usingMetrics: {},
                  period,
                }),
              ],
            }),
        ),
      ],
    });
  }
}

import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * An alarm that notifies the operations topic. A dead-letter queue or a compliance log that
 * silently stops receiving is a HIPAA audit-control failure, so both page someone.
 */
export function alarmOn(
  scope: Construct,
  id: string,
  props: { metric: IMetric; threshold: number; description: string; topic: ITopic },
): Alarm {
  const alarm = new Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
    alarmDescription: props.description,
  });
  alarm.addAlarmAction(new SnsAction(props.topic));
  return alarm;
}

/** EventBridge's count of events a rule could not deliver to its target (after retries). */
export function failedInvocations(ruleName: string): Metric {
  return new Metric({
    namespace: 'AWS/Events',
    metricName: 'FailedInvocations',
    dimensionsMap: { RuleName: ruleName },
    statistic: 'Sum',
    period: Duration.minutes(5),
  });
}

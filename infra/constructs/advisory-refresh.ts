import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcardResource } from '../compliance-packs.ts';
import type { PlatformResources } from '../platform-resources.ts';
import { bucketPrefixStatements } from './access-statements.ts';
import { alarmOn } from './operations-alarms.ts';
import { PluginFunction } from './plugin-function.ts';

export const ADVISORY_REFRESH_SERVICE_NAME = 'advisory-refresh';
/** The object the stored advisory database lives under (shared/adapters/aws/s3-advisory-database-store.ts). */
export const ADVISORY_OBJECT_PREFIX = 'advisories/';
/** OSV republishes its exports continuously; four refreshes a day keep the set under six hours stale. */
export const ADVISORY_REFRESH_RATE = Duration.hours(6);

export interface AdvisoryRefreshProps {
  readonly resources: PlatformResources;
  readonly entry: string;
  readonly operationsTopic?: ITopic | undefined;
}

/**
 * The scheduled refresh of the advisory database from OSV's npm export, and the rescan after it.
 * Least privilege: the marketplace table (release scans, entry status), the plugins table
 * (installations, policies; disabling where a policy says so), the outbox, and get/put under
 * `advisories/` of the artifact bucket only. It signs nothing and publishes nothing itself: its
 * events travel through the outbox.
 */
export class AdvisoryRefresh extends Construct {
  readonly refresher: PluginFunction;
  readonly schedule: Rule;

  constructor(scope: Construct, id: string, props: AdvisoryRefreshProps) {
    super(scope, id);
    const { resources } = props;
    const { storage } = resources;
    this.refresher = new PluginFunction(this, 'Refresher', {
      entry: props.entry,
      description:
        "Gradiant Plugins: refreshes the advisory database from OSV's npm export and rescans releases",
      serviceName: ADVISORY_REFRESH_SERVICE_NAME,
      environment: resources.environmentFor(),
      logKey: resources.logKey,
      // The export is tens of MB zipped and a few hundred unzipped, parsed in memory.
      memorySize: 3008,
      timeout: Duration.minutes(10),
      reservedConcurrentExecutions: 1,
      outsideVpcReason:
        "Downloads OSV's public export over HTTPS and otherwise calls only AWS APIs (IAM + TLS); there is no VPC resource to reach.",
    });
    resources.grant(this.refresher, { marketplace: 'read-write', plugins: 'read-write', auditAppend: true });
    this.refresher.allow(
      ...bucketPrefixStatements(storage.artifactBucket, resources.dataKey, ADVISORY_OBJECT_PREFIX),
    );
    acknowledgeWildcardResource(
      this.refresher.role.policy,
      storage.artifactBucket.arnForObjects(`${ADVISORY_OBJECT_PREFIX}*`),
      'The stored advisory database is one object under advisories/ of the artifact bucket: get and put there only.',
    );
    acknowledge(
      this.refresher.cfnFunction,
      'HIPAA.Security-LambdaDLQ',
      'A failed scheduled run loses nothing: the next run downloads the whole export again and rescans every release not yet scanned with it; failures are alarmed.',
    );
    this.schedule = new Rule(this, 'Schedule', {
      description: "Refreshes the advisory database from OSV's npm export and rescans releases",
      schedule: Schedule.rate(ADVISORY_REFRESH_RATE),
      targets: [new LambdaFunction(this.refresher.function, { retryAttempts: 2 })],
    });
    if (props.operationsTopic)
      alarmOn(this, 'RefreshErrors', {
        metric: this.refresher.function.metricErrors({ period: Duration.hours(6), statistic: 'Sum' }),
        threshold: 1,
        description: 'The advisory refresh failed: the stored advisory database is getting stale.',
        topic: props.operationsTopic,
      });
  }
}

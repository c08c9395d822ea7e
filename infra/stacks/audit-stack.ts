import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Match } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ComplianceLogDelivery } from '../constructs/compliance-log-delivery.ts';
import { EVENT_SOURCE_PREFIX } from '../platform-events.ts';
import type { PlatformSettings } from '../settings.ts';

export interface AuditStackProps extends StackProps {
  readonly settings: PlatformSettings;
  readonly complianceLogBucket: IBucket;
  readonly auditKey: IKey;
  readonly logKey: IKey;
}

/**
 * The platform's event bus and its audit trail: an archive for replay and a rule that delivers
 * every event to the Object Lock compliance log. Events carry ids only, never PHI.
 */
export class AuditStack extends Stack {
  readonly eventBus: EventBus;
  readonly complianceLog: ComplianceLogDelivery;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, props);

    this.eventBus = new EventBus(this, 'EventBus', {
      description: `Gradiant Plugins ${props.settings.stage}: platform and plugin events`,
    });
    this.eventBus.archive('Archive', {
      description: 'Replay source for re-driving subscribers after an incident',
      eventPattern: { source: Match.prefix(EVENT_SOURCE_PREFIX) },
      retention: Duration.days(365),
    });
    this.complianceLog = new ComplianceLogDelivery(this, 'ComplianceLog', {
      eventBus: this.eventBus,
      sourcePrefix: EVENT_SOURCE_PREFIX,
      bucket: props.complianceLogBucket,
      bucketKey: props.auditKey,
      logKey: props.logKey,
    });
  }
}

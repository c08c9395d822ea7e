import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_STREAM_SERVICE_NAME } from '../../infra/constructs/audit-delivery.ts';
import {
  WEBHOOK_DELIVERY_MAPPING,
  WEBHOOK_DELIVERY_SERVICE_NAME,
} from '../../infra/constructs/webhook-delivery.ts';
import {
  FIXTURE_ENTRIES,
  FIXTURE_HANDLER,
  resourcesOfType,
  type SynthesizedPlatform,
  synthPlatform,
} from './synth-platform.ts';

const DEPLOYED_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_gradiant';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };

describe('the events function and the webhook delivery', () => {
  let platform: SynthesizedPlatform;
  let audit: Template;
  let api: Template;
  let storage: Template;

  beforeAll(() => {
    platform = synthPlatform({
      compliancePacks: true,
      cloudFormationValidation: false,
      context: {
        'gradiant:jwtIssuer': DEPLOYED_ISSUER,
        'gradiant:jwksUrl': `${DEPLOYED_ISSUER}/.well-known/jwks.json`,
      },
      platform: {
        executionEntry: FIXTURE_HANDLER,
        entries: FIXTURE_ENTRIES,
      },
    });
    audit = platform.template(platform.stacks.audit);
    api = platform.template(platform.stacks.api);
    storage = platform.template(platform.stacks.storage);
  });

  const functionId = (template: Template, serviceName: string) =>
    resourcesOfType([template], 'AWS::Lambda::Function').find(
      ([, properties]) =>
        (properties.Environment as { Variables: Record<string, unknown> }).Variables
          .POWERTOOLS_SERVICE_NAME === serviceName,
    )?.[0];

  const statementsOf = (template: Template, prefix: string): Statement[] =>
    [
      ...resourcesOfType([template], 'AWS::IAM::Policy'),
      ...resourcesOfType([template], 'AWS::IAM::ManagedPolicy'),
    ]
      .filter(([logicalId]) => logicalId.startsWith(prefix))
      .flatMap(([, properties]) => (properties.PolicyDocument as { Statement: Statement[] }).Statement);

  const actionsOf = (statements: readonly Statement[]) =>
    statements.flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );

  it('synthesizes with zero unacknowledged findings', () => {
    const violations = (platform.report?.pluginReports ?? []).flatMap((report) =>
      report.violations.map((violation) => `${report.pluginName}: ${violation.ruleName}`),
    );

    expect(platform.synthError).toBeUndefined();
    expect(violations).toEqual([]);
  });

  it('keeps deliveries on a KMS-encrypted queue with a dead-letter queue, read by the delivery function', () => {
    const queues = resourcesOfType([audit], 'AWS::SQS::Queue').filter(([logicalId]) =>
      logicalId.startsWith('WebhookDelivery'),
    );
    expect(queues).toHaveLength(2);
    for (const [, properties] of queues) expect(properties.KmsMasterKeyId).toBeDefined();
    const [, main] = queues.find(([, properties]) => properties.RedrivePolicy !== undefined) ?? ['', {}];
    expect(main.RedrivePolicy).toMatchObject({ maxReceiveCount: WEBHOOK_DELIVERY_MAPPING.maxReceiveCount });

    audit.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: WEBHOOK_DELIVERY_MAPPING.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: WEBHOOK_DELIVERY_MAPPING.maxConcurrency },
    });
    expect(functionId(audit, WEBHOOK_DELIVERY_SERVICE_NAME)).toBeDefined();
  });

  it('lets the delivery decrypt webhook secrets, update webhooks and requeue retries; nothing more', () => {
    const statements = statementsOf(audit, 'WebhookDeliveryDeliverer');
    const actions = actionsOf(statements);
    const onSecretKey = statements.filter((statement) =>
      JSON.stringify(statement.Resource).includes('WebhookSecretKey'),
    );

    expect(actionsOf(onSecretKey)).toEqual(['kms:Decrypt']);
    expect(actions).toContain('dynamodb:UpdateItem');
    expect(actions).toContain('sqs:SendMessage');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('events:PutEvents');
    expect(actions).not.toContain('s3:PutObject');
  });

  it('lets the events function encrypt webhook secrets but never decrypt them with that key', () => {
    const statements = statementsOf(api, 'EventsFunction');
    const onSecretKey = statements.filter((statement) =>
      JSON.stringify(statement.Resource).includes('WebhookSecretKey'),
    );

    expect(actionsOf(onSecretKey)).toEqual(['kms:Encrypt']);
    expect(actionsOf(statements)).not.toContain('events:PutEvents');
    expect(actionsOf(statements)).not.toContain('lambda:InvokeFunction');
  });

  it('gives the outbox consumer the queue to put first attempts on', () => {
    const id = functionId(audit, AUDIT_STREAM_SERVICE_NAME);
    const consumer = resourcesOfType([audit], 'AWS::Lambda::Function').find(
      ([logicalId]) => logicalId === id,
    )?.[1];
    const variables = (consumer?.Environment as { Variables: Record<string, unknown> } | undefined)
      ?.Variables;

    expect(variables?.WEBHOOK_DELIVERY_QUEUE_URL).toBeDefined();
    expect(actionsOf(statementsOf(audit, 'DeliveryConsumer'))).toContain('sqs:SendMessage');
  });

  it('keeps webhook secrets under their own rotating key', () => {
    storage.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/gradiant-plugins/dev/webhook-secrets',
    });
  });
});

import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdvisoryRefreshConfigSchema } from '../../functions/advisory-refresh/config.ts';
import { AuditConfigSchema } from '../../functions/audit/config.ts';
import { EhrConnectionConfigSchema } from '../../functions/ehr-connection/config.ts';
import { EhrNotificationsConfigSchema } from '../../functions/ehr-notifications/config.ts';
import { EventsConfigSchema } from '../../functions/events/config.ts';
import { ExecutionConfigSchema } from '../../functions/execution/config.ts';
import { LifecycleConfigSchema } from '../../functions/lifecycle/config.ts';
import { MarketplaceConfigSchema } from '../../functions/marketplace/config.ts';
import { PlatformConfigSchema } from '../../functions/platform/config.ts';
import { AUDIT_STREAM_MAPPING } from '../../infra/constructs/audit-delivery.ts';
import { COMPLIANCE_RETENTION_DAYS, DEFAULT_EXECUTION_RESERVED_CONCURRENCY } from '../../infra/settings.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/adapters/aws/audit-table-items.ts';
import { RUN_METRICS } from '../../shared/adapters/aws/run-metric-names.ts';
import { TABLE_DEFINITIONS } from '../../shared/adapters/aws/table-definitions.ts';
import { METRICS_NAMESPACE } from '../../shared/config/metrics-env.ts';
import { COMPLIANCE_LOG_RULE, PLUGIN_SUBSCRIPTION_RULE } from '../../shared/events/event-rules.ts';
import { ROUTE_RECORDS } from '../../shared/http/route-table.ts';
import {
  FIXTURE_HANDLER,
  resourcesOfType,
  type SynthesizedPlatform,
  synthPlatform,
} from './synth-platform.ts';

/** A real-looking identity provider: cdk.json's placeholder would be refused by every function. */
const DEPLOYED_ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_gradiant';
const DEPLOYED_JWKS_URL = `${DEPLOYED_ISSUER}/.well-known/jwks.json`;

const PLATFORM_ENVIRONMENT = [
  'PLUGINS_TABLE',
  'MARKETPLACE_TABLE',
  'AUDIT_TABLE',
  'ARTIFACT_BUCKET',
  'COMPLIANCE_LOG_BUCKET',
  'EVENT_BUS_NAME',
  'SIGNING_KEY_ID',
  'CURSOR_KEY_ID',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_JWKS_URL',
  'PLATFORM_VERSION',
  'PLATFORM_MODE',
  'POWERTOOLS_SERVICE_NAME',
];

/** Each function's config schema, by the service name its stack gives it. */
const CONFIG_SCHEMA_BY_SERVICE = {
  platform: PlatformConfigSchema,
  'plugin-lifecycle': LifecycleConfigSchema,
  'plugin-marketplace': MarketplaceConfigSchema,
  'plugin-execution': ExecutionConfigSchema,
  'audit-query': AuditConfigSchema,
  'ehr-connection': EhrConnectionConfigSchema,
  'ehr-notifications': EhrNotificationsConfigSchema,
  'advisory-refresh': AdvisoryRefreshConfigSchema,
  'tenant-events': EventsConfigSchema,
} as const;

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** A dashboard body as synthesized: a string, or an Fn::Join of strings and references. */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  const [, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : 'reference')).join('');
}

function statementsOf(template: Template, policyLogicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy');
  const match = Object.entries(policies).find(([id]) => id.startsWith(policyLogicalIdPrefix));
  if (!match) throw new Error(`no managed policy ${policyLogicalIdPrefix}*`);
  return (match[1] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
    .PolicyDocument.Statement;
}

const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());

describe('the deployed platform (full app, execution handler fixture, cdk-nag packs)', () => {
  let platform: SynthesizedPlatform;
  let storage: Template;
  let audit: Template;
  let execution: Template;
  let api: Template;

  beforeAll(() => {
    // Fixture handlers keep this file about the infrastructure; handler-bundles.test.ts bundles the
    // real handlers the way `cdk synth` does.
    platform = synthPlatform({
      compliancePacks: true,
      context: { 'gradiant:jwtIssuer': DEPLOYED_ISSUER, 'gradiant:jwksUrl': DEPLOYED_JWKS_URL },
      platform: {
        executionEntry: FIXTURE_HANDLER,
        entries: {
          platform: FIXTURE_HANDLER,
          lifecycle: FIXTURE_HANDLER,
          marketplace: FIXTURE_HANDLER,
          'ehr-connection': FIXTURE_HANDLER,
        },
      },
    });
    storage = platform.template(platform.stacks.storage);
    audit = platform.template(platform.stacks.audit);
    execution = platform.template(platform.stacks.execution);
    api = platform.template(platform.stacks.api);
  });

  describe('compliance packs', () => {
    it('synthesizes with zero unacknowledged AwsSolutions and HIPAA.Security findings', () => {
      const violations = (platform.report?.pluginReports ?? []).flatMap((report) =>
        report.violations.map((violation) => `${report.pluginName}: ${violation.ruleName}`),
      );

      expect(violations).toEqual([]);
      expect(platform.synthError).toBeUndefined();
    });

    it('gives every acknowledgment a single rule id and a stated reason', () => {
      const acknowledgments = platform.app.node
        .findAll()
        .flatMap((construct) => construct.node.metadata)
        .filter((entry) => entry.type === 'aws:cdk:acknowledged-rules')
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

      expect(acknowledgments.length).toBeGreaterThan(0);
      for (const [id, reason] of acknowledgments) {
        expect(id).toMatch(/^(annotation::)?(AwsSolutions|HIPAA\.Security)-[A-Za-z0-9]+(\[.+\])?$/i);
        expect(reason.length).toBeGreaterThan(30);
      }
    });
  });

  describe('functions', () => {
    it('runs every function on nodejs24.x and arm64 with X-Ray and reserved concurrency', () => {
      const functions = resourcesOfType([storage, audit, execution, api], 'AWS::Lambda::Function');

      const routed = new Set(ROUTE_RECORDS.map((record) => record.function));
      // The routed functions, execution, the audit stream consumer and digest run, the advisory
      // refresh, the webhook delivery.
      expect(functions.length).toBe(routed.size + 5);
      for (const [, properties] of functions) {
        expect(properties.Runtime).toBe('nodejs24.x');
        expect(properties.Architectures).toEqual(['arm64']);
        expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
        expect(properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
        expect(properties.LoggingConfig).toHaveProperty('LogGroup');
      }
    });

    it('reserves the execution function’s shared concurrency R for the per-tenant caps', () => {
      const [[, properties] = ['', {}]] = resourcesOfType([execution], 'AWS::Lambda::Function');

      expect(properties.ReservedConcurrentExecutions).toBe(DEFAULT_EXECUTION_RESERVED_CONCURRENCY);
    });

    it('gives every function the whole platform environment contract', () => {
      for (const [, properties] of resourcesOfType([execution, api], 'AWS::Lambda::Function')) {
        const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;

        expect(Object.keys(variables)).toEqual(expect.arrayContaining(PLATFORM_ENVIRONMENT));
        expect(variables.PLATFORM_MODE).toBe('aws');
        expect(variables.JWT_JWKS_URL).toBe(DEPLOYED_JWKS_URL);
      }
    });

    it('gives every function an environment its own config schema accepts (AWS mode: no local-only setting)', () => {
      const services: string[] = [];
      for (const [, properties] of resourcesOfType([execution, api], 'AWS::Lambda::Function')) {
        const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
        const service = String(variables.POWERTOOLS_SERVICE_NAME) as keyof typeof CONFIG_SCHEMA_BY_SERVICE;
        // References (table names, key ARNs) resolve at deploy time; any string stands in for them.
        const environment = Object.fromEntries(
          Object.entries(variables).map(([name, value]) => [
            name,
            typeof value === 'string'
              ? value
              : name.endsWith('_URL')
                ? `https://resolved.gradiant-tests.net/${name}`
                : `resolved-${name}`,
          ]),
        );
        const parsed = CONFIG_SCHEMA_BY_SERVICE[service].safeParse(environment);

        expect(parsed.error?.issues ?? [], service).toEqual([]);
        services.push(service);
      }
      expect(services.sort()).toEqual(Object.keys(CONFIG_SCHEMA_BY_SERVICE).sort());
    });

    it('encrypts every log group with the log key and keeps logs a year', () => {
      const logGroups = resourcesOfType([audit, execution, api], 'AWS::Logs::LogGroup');

      expect(logGroups.length).toBeGreaterThanOrEqual(5);
      for (const [, properties] of logGroups) {
        expect(properties.KmsKeyId).toBeDefined();
        expect(properties.RetentionInDays).toBe(365);
      }
    });
  });

  describe('HTTP API', () => {
    it('creates exactly the routes of the route records, one each', () => {
      const routeKeys = resourcesOfType([api], 'AWS::ApiGatewayV2::Route').map(([, route]) => route.RouteKey);

      expect(routeKeys.sort()).toEqual(ROUTE_RECORDS.map((record) => record.routeKey).sort());
    });

    it('puts the JWT authorizer and the listed scopes on authenticated routes only', () => {
      const routes = resourcesOfType([api], 'AWS::ApiGatewayV2::Route');

      for (const definition of ROUTE_RECORDS) {
        const [, route] = routes.find(([, candidate]) => candidate.RouteKey === definition.routeKey) ?? [];
        expect(route?.AuthorizationType).toBe(definition.isAuthenticated ? 'JWT' : 'NONE');
        expect(route?.AuthorizationScopes).toEqual(
          definition.scopes.length > 0 ? [...definition.scopes] : undefined,
        );
      }
    });

    it('checks the issuer and audience from context, logs access and throttles by default', () => {
      api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: DEPLOYED_ISSUER, Audience: ['gradiant-plugins'] },
      });
      api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
        DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      });
      api.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    });

    it('serves EHR notifications without an authorizer, on a route throttled below the API', () => {
      const routes = resourcesOfType([api], 'AWS::ApiGatewayV2::Route');
      const notification = routes.find(
        ([, route]) => route.RouteKey === 'POST /v1/ehr/notifications/{tenantId}',
      );

      expect(notification?.[1].AuthorizationType).toBe('NONE');
      api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        RouteSettings: {
          'POST /v1/ehr/notifications/{tenantId}': { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
        },
      });
    });
  });

  describe('storage', () => {
    it('creates one on-demand, PITR, KMS-encrypted table per TABLE_DEFINITIONS entry', () => {
      const tables = resourcesOfType([storage], 'AWS::DynamoDB::GlobalTable');

      expect(tables.length).toBe(TABLE_DEFINITIONS.length);
      for (const definition of TABLE_DEFINITIONS) {
        storage.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: definition.partitionKey, KeyType: 'HASH' },
            { AttributeName: definition.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: definition.globalIndexes.map((index) =>
            Match.objectLike({
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
            }),
          ),
          TimeToLiveSpecification: definition.timeToLiveAttribute
            ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
            : Match.absent(),
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
          Replicas: [
            Match.objectLike({
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
              SSESpecification: { KMSMasterKeyId: Match.anyValue() },
            }),
          ],
        });
      }
    });

    it('blocks public access, requires TLS and versions every bucket', () => {
      const buckets = resourcesOfType([storage], 'AWS::S3::Bucket');

      expect(buckets.length).toBe(3);
      for (const [, bucket] of buckets) {
        expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
        expect(bucket.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      }
      const policies = resourcesOfType([storage], 'AWS::S3::BucketPolicy');
      expect(policies.length).toBe(3);
      for (const [, policy] of policies) {
        expect(JSON.stringify(policy.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
      }
    });

    it('encrypts artifacts and the compliance log with customer keys and logs access to them', () => {
      for (const logPrefix of ['artifact-bucket/', 'compliance-log-bucket/']) {
        storage.hasResourceProperties('AWS::S3::Bucket', {
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              {
                ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: Match.anyValue() },
                BucketKeyEnabled: true,
              },
            ],
          },
          LoggingConfiguration: { DestinationBucketName: Match.anyValue(), LogFilePrefix: logPrefix },
        });
      }
    });

    it('expires leftover presigned uploads and old search snapshots in the artifact bucket', () => {
      storage.hasResourceProperties('AWS::S3::Bucket', {
        LoggingConfiguration: { LogFilePrefix: 'artifact-bucket/' },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 1, Status: 'Enabled' }),
            Match.objectLike({ Prefix: 'search/', NoncurrentVersionExpiration: { NoncurrentDays: 7 } }),
          ]),
        },
      });
    });

    it('locks the compliance log in COMPLIANCE mode for six years', () => {
      storage.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: COMPLIANCE_RETENTION_DAYS } },
        },
      });
    });

    it('creates an ECC P-256 signing key and rotating symmetric keys', () => {
      storage.hasResourceProperties('AWS::KMS::Key', {
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
      });
      const symmetric = resourcesOfType([storage], 'AWS::KMS::Key').filter(
        ([, key]) => key.KeySpec === undefined,
      );
      // Data, audit, logs and webhook secrets.
      expect(symmetric.length).toBe(4);
      for (const [, key] of symmetric) expect(key.EnableKeyRotation).toBe(true);
      storage.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/gradiant-plugins/dev/signing' });
    });
  });

  describe('execution', () => {
    it('sizes the execution function for isolated-vm and attaches the layer', () => {
      const functions = resourcesOfType([execution], 'AWS::Lambda::Function');
      expect(functions.length).toBe(1);
      const fn = functions[0]?.[1] ?? {};
      const variables = (fn.Environment as { Variables: Record<string, string> }).Variables;

      expect(fn.MemorySize).toBeGreaterThanOrEqual(4 * 128);
      expect(fn.Timeout).toBeGreaterThan(5);
      expect(variables.NODE_OPTIONS).toContain('--no-node-snapshot');
      expect(fn.Layers).toEqual([{ Ref: expect.stringMatching(/^IsolatedVmLayer/) }]);
      expect(fn.DeadLetterConfig).toEqual({
        TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^ExecutionDeadLetterQueue/), 'Arn'] },
      });
      execution.hasResourceProperties('AWS::Lambda::LayerVersion', {
        CompatibleRuntimes: ['nodejs24.x'],
        CompatibleArchitectures: ['arm64'],
      });
      execution.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    });

    it('keeps dead letters in a KMS-encrypted, TLS-only queue', () => {
      execution.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
      execution.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('routes the shared subscription rule (data events, plugin events) to it with retries and a DLQ', () => {
      execution.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: [...PLUGIN_SUBSCRIPTION_RULE.source],
          'detail-type': [
            ...(PLUGIN_SUBSCRIPTION_RULE.detailTypes ?? []),
            ...(PLUGIN_SUBSCRIPTION_RULE.detailTypePrefixes ?? []).map((prefix) => ({ prefix })),
          ],
        },
        Targets: [
          Match.objectLike({
            DeadLetterConfig: Match.anyValue(),
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 4 }),
          }),
        ],
      });
      expect(resourcesOfType([execution], 'AWS::Events::Rule').length).toBe(1);
    });

    it('gives the execution function the metrics namespace its usage dashboard charts', () => {
      const functions = resourcesOfType([execution], 'AWS::Lambda::Function');
      const variables = functions.map(
        ([, properties]) => (properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );

      expect(variables.map((variable) => variable.POWERTOOLS_METRICS_NAMESPACE)).toEqual([METRICS_NAMESPACE]);
      expect(variables[0]?.POWERTOOLS_SERVICE_NAME).toBe('plugin-execution');
    });

    it('charts every run metric per tenant and plugin on a usage dashboard, peak heap as a maximum', () => {
      const dashboards = resourcesOfType([execution], 'AWS::CloudWatch::Dashboard');
      expect(dashboards).toHaveLength(1);
      const body = JSON.parse(bodyText(dashboards[0]?.[1].DashboardBody)) as {
        widgets: { type: string; properties: { title?: string; metrics?: unknown[][] } }[];
      };
      const searches = body.widgets
        .filter((widget) => widget.type === 'metric')
        .map((widget) => JSON.stringify(widget.properties.metrics));

      expect(searches).toHaveLength(RUN_METRICS.length);
      for (const metric of RUN_METRICS) {
        const search = searches.find((text) => text.includes(`MetricName=\\"${metric.name}\\"`));
        expect(search, metric.name).toContain(`{${METRICS_NAMESPACE},service,tenantId,pluginId}`);
        expect(search, metric.name).toContain(`'${metric.statistic}'`);
      }
      expect(RUN_METRICS.find((metric) => metric.name === 'PeakHeap')?.statistic).toBe('Maximum');
    });
  });

  describe('audit trail', () => {
    it('delivers every platform event through Firehose into the compliance-log bucket', () => {
      audit.hasResourceProperties('AWS::Events::Rule', {
        // Plugin-emitted payloads are tenant data and never reach write-once storage.
        EventPattern: {
          source: [...COMPLIANCE_LOG_RULE.source],
          'detail-type': [{ 'anything-but': { prefix: 'plugin-event:' } }],
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ComplianceLogStream'), 'Arn'] },
          }),
        ],
      });
      audit.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
        DeliveryStreamEncryptionConfigurationInput: {
          KeyType: 'CUSTOMER_MANAGED_CMK',
          KeyARN: Match.anyValue(),
        },
        ExtendedS3DestinationConfiguration: Match.objectLike({
          BucketARN: { 'Fn::ImportValue': Match.stringLikeRegexp('ComplianceLogBucket') },
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: Match.anyValue() } },
        }),
      });
      audit.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 365 });
    });

    it('pages operations when the compliance log or event delivery stops', () => {
      audit.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      audit.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'DeliveryToS3.DataFreshness',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OperationsTopic') }],
      });
      execution.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 1,
        AlarmActions: [Match.anyValue()],
      });
      // Compliance log (2), execution (2), outbox delivery (DLQ depth, iterator age, digest errors),
      // webhook delivery (DLQ depth).
      expect(resourcesOfType([audit, execution], 'AWS::CloudWatch::Alarm').length).toBe(8);
    });

    it('lets the delivery stream add objects but never delete them', () => {
      const actions = actionsOf(statementsOf(audit, 'ComplianceLogDeliveryRolePolicy'));

      expect(actions).toContain('s3:PutObject');
      expect(actions.filter((action) => action.startsWith('s3:Delete') || action.includes('*'))).toEqual([]);
    });
  });

  describe('least privilege', () => {
    it('lets the EHR notification function use the plugins table, append to the outbox and read the signing secrets, nothing else', () => {
      const statements = statementsOf(api, 'EhrNotificationsFunctionRolePolicy');
      const actions = new Set(actionsOf(statements));

      expect(actions).toContain('dynamodb:PutItem');
      expect(actions).toContain('dynamodb:GetItem');
      for (const action of actions) expect(action).toMatch(/^(dynamodb|kms|logs|xray|secretsmanager):/);
      expect([...actions].filter((action) => action.startsWith('secretsmanager:'))).toEqual([
        'secretsmanager:GetSecretValue',
      ]);
      expect([...actions].filter((action) => action.startsWith('kms:')).sort()).toEqual(
        expect.not.arrayContaining(['kms:Sign', 'kms:GenerateMac']),
      );
      expect(actions).not.toContain('events:PutEvents');
      expect(actions).not.toContain('s3:GetObject');
    });

    it('lets the EHR connection function create tenant-tagged signing secrets under its prefix only, never delete or list them', () => {
      const statements = statementsOf(api, 'EhrConnectionFunctionRolePolicy');
      const secrets = statements.filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
      );
      const text = JSON.stringify(secrets);

      expect(actionsOf(secrets).sort()).toEqual([
        'secretsmanager:CreateSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:TagResource',
      ]);
      expect(text).toContain('gradiant-plugins/ehr-signing/*');
      expect(text).toContain('aws:RequestTag/tenant_id');
      expect(actionsOf(statements).filter((action) => action.includes('*'))).toEqual([]);
      expect(JSON.stringify(statements)).toContain('secretsmanager.');
    });

    it('lets the execution function read the tenant-tagged EHR signing secrets, nothing more of them', () => {
      const statements = statementsOf(execution, 'ExecutionHandlerRolePolicy');
      const secretActions = actionsOf(statements).filter((action) => action.startsWith('secretsmanager:'));

      expect(secretActions).toEqual(['secretsmanager:GetSecretValue']);
      expect(JSON.stringify(statements)).toContain('secretsmanager:ResourceTag/tenant_id');
    });

    it('gives the platform function nothing beyond its logs and traces', () => {
      const actions = actionsOf(statementsOf(api, 'PlatformFunctionRolePolicy'));

      expect(actions.sort()).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
    });

    it('lets the audit query function read the audit table, append its request records and derive the cursor key, nothing else', () => {
      const statements = statementsOf(api, 'AuditFunctionRolePolicy');
      const actions = actionsOf(statements);
      const text = JSON.stringify(statements);
      const puts = statements.filter((statement) => [statement.Action].flat().includes('dynamodb:PutItem'));

      expect(actions).toEqual(
        expect.arrayContaining([
          'dynamodb:Query',
          'dynamodb:BatchGetItem',
          'dynamodb:PutItem',
          'kms:GenerateMac',
        ]),
      );
      // CDK merges the put into the read statement on the same table: the audit table, and only it.
      expect(puts).toHaveLength(1);
      expect(JSON.stringify(puts[0]?.Resource)).toMatch(/AuditTable/);
      expect(JSON.stringify(puts[0]?.Resource)).not.toMatch(/index/);
      expect(
        actions.filter((action) => /^dynamodb:(Update|Delete|BatchWrite|TransactWrite)/.test(action)),
      ).toEqual([]);
      expect(actions.filter((action) => /^(s3|events|lambda):/.test(action) || action.includes('*'))).toEqual(
        [],
      );
      expect(actions).not.toContain('kms:Sign');
      expect(text).not.toMatch(/PluginsTable|MarketplaceTable|EhrTable|ArtifactBucket|ComplianceLogBucket/);
    });

    it('lets lifecycle use the plugins table and artifacts, read the marketplace, verify, publish and invoke', () => {
      const statements = statementsOf(api, 'LifecycleFunctionRolePolicy');
      const actions = actionsOf(statements);
      const text = JSON.stringify(statements);

      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'kms:GetPublicKey', 'kms:Verify', 'events:PutEvents']),
      );
      expect(actions).toContain('lambda:InvokeFunction');
      expect(actions).not.toContain('kms:Sign');
      expect(text).not.toMatch(/EhrTable/);
      expect(text).not.toMatch(/ComplianceLogBucket/);
      expect(actions.filter((action) => action.includes('*'))).toEqual([]);
    });

    it('lets only the functions that issue cursors derive the cursor key, and only with GenerateMac', () => {
      const cursorStatements = (template: Template, prefix: string) =>
        statementsOf(template, prefix).filter((statement) =>
          [statement.Action].flat().includes('kms:GenerateMac'),
        );

      for (const prefix of [
        'LifecycleFunctionRolePolicy',
        'MarketplaceFunctionRolePolicy',
        'AuditFunctionRolePolicy',
      ]) {
        const [statement, ...others] = cursorStatements(api, prefix);
        expect(others).toEqual([]);
        expect(statement?.Action).toBe('kms:GenerateMac');
        expect(JSON.stringify(statement?.Resource)).toMatch(/CursorKey/);
      }
      expect(cursorStatements(api, 'PlatformFunctionRolePolicy')).toEqual([]);
      expect(cursorStatements(execution, 'ExecutionHandlerRolePolicy')).toEqual([]);
      storage.hasResourceProperties('AWS::KMS::Key', {
        KeySpec: 'HMAC_256',
        KeyUsage: 'GENERATE_VERIFY_MAC',
      });
    });

    it('lets the execution function read artifacts and use EHR data but never sign', () => {
      const actions = actionsOf(statementsOf(execution, 'ExecutionHandlerRolePolicy'));

      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:UpdateItem', 's3:GetObject', 'kms:GetPublicKey']),
      );
      expect(actions).not.toContain('kms:Sign');
      expect(actions).not.toContain('s3:PutObject');
    });

    it('grants nothing on every resource but X-Ray tracing (the one acknowledged Resource::*)', () => {
      const templates = [storage, audit, execution, api];
      const everywhere = resourcesOfType(templates, 'AWS::IAM::ManagedPolicy').flatMap(([, policy]) =>
        (policy.PolicyDocument as { Statement: Statement[] }).Statement.filter((statement) =>
          [statement.Resource].flat().includes('*'),
        ),
      );

      expect(everywhere.length).toBeGreaterThan(0);
      for (const statement of everywhere) {
        expect([statement.Action].flat().sort()).toEqual([
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
      }
    });

    it('attaches no inline policies anywhere', () => {
      expect(resourcesOfType([storage, audit, execution, api], 'AWS::IAM::Policy')).toEqual([]);
    });
  });

  describe('outbox delivery (issue #10)', () => {
    it('consumes the audit table’s stream, filtered to new outbox entries, in order, with per-record failures', () => {
      audit.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: Match.anyValue(),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: AUDIT_STREAM_MAPPING.batchSize,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: AUDIT_STREAM_MAPPING.retryAttempts,
        MaximumRecordAgeInSeconds: AUDIT_STREAM_MAPPING.maxRecordAge.toSeconds(),
        ParallelizationFactor: 1,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(OUTBOX_STREAM_FILTER) }] },
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
        },
      });
      audit.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue() });
    });

    it('lets the consumer write the chain, the audit and plugins tables and the bus, and never sign', () => {
      const statements = statementsOf(audit, 'DeliveryConsumerRolePolicy');
      const actions = actionsOf(statements);

      expect(actions).toEqual(
        expect.arrayContaining([
          'events:PutEvents',
          's3:PutObject',
          'dynamodb:PutItem',
          'dynamodb:GetRecords',
          'sqs:SendMessage',
        ]),
      );
      expect(actions).not.toContain('kms:Sign');
      expect(actions).not.toContain('s3:DeleteObject');
      const put = statements.find((statement) => [statement.Action].flat().includes('s3:PutObject'));
      expect(JSON.stringify(put?.Resource)).toContain('/audit-chain/*');
    });

    it('signs digests hourly with an ECC P-256 key whose Sign only the digest function may use', () => {
      audit.hasResourceProperties('AWS::KMS::Key', { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
      const [[, key] = ['', {}]] = resourcesOfType([audit], 'AWS::KMS::Key');
      const policy = (key.KeyPolicy as { Statement: (Statement & { Condition?: unknown; Sid?: string })[] })
        .Statement;
      const deny = policy.find((statement) => statement.Sid === 'OnlyTheDigestFunctionSigns');
      expect(deny).toMatchObject({ Effect: 'Deny', Action: 'kms:Sign' });
      expect(JSON.stringify(deny?.Condition)).toMatch(/ArnNotEquals.*aws:PrincipalArn.*DeliveryDigesterRole/);

      expect(actionsOf(statementsOf(audit, 'DeliveryDigesterRolePolicy'))).toContain('kms:Sign');
      const others = resourcesOfType([storage, audit, execution, api], 'AWS::IAM::ManagedPolicy').filter(
        ([id]) => !id.startsWith('DeliveryDigesterRolePolicy'),
      );
      expect(others.length).toBeGreaterThan(0);
      for (const [, policy] of others)
        expect(JSON.stringify(policy.PolicyDocument)).not.toContain('DigestKey');
      audit.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)' });
    });

    it('pages operations on dead letters and a consumer falling behind', () => {
      audit.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^OperationsTopic') }],
      });
      audit.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'IteratorAge',
        Namespace: 'AWS/Lambda',
      });
    });
  });
});

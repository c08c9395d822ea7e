import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { BackupPlan, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, type TableDefinition } from '../../shared/adapters/aws/table-definitions.ts';
import { acknowledge } from '../compliance-packs.ts';
import type { TableAccess } from '../constructs/access-statements.ts';
import { COMPLIANCE_RETENTION_DAYS, type PlatformSettings } from '../settings.ts';

export interface StorageStackProps extends StackProps {
  readonly settings: PlatformSettings;
}

type TableId = TableDefinition['id'];

/**
 * The stateful half of the platform: keys, buckets and tables. Everything here outlives a
 * deployment (RETAIN), so the stateless stacks can be replaced freely.
 */
export class StorageStack extends Stack {
  /** Encrypts tables, the artifact bucket and queues. */
  readonly dataKey: Key;
  /** Encrypts the compliance log and its delivery stream; only the audit path uses it. */
  readonly auditKey: Key;
  /** Encrypts CloudWatch log groups (the logs service principal may use it). */
  readonly logKey: Key;
  /** Signs release statements (ECDSA P-256); private half never leaves KMS. */
  readonly signingKey: Key;
  /** Derives the key that authenticates pagination cursors (HMAC_256); material never leaves KMS. */
  readonly cursorKey: Key;
  /** Encrypts webhook signing secrets (Encrypt for the events function, Decrypt for the delivery). */
  readonly webhookSecretKey: Key;
  readonly accessLogBucket: Bucket;
  readonly artifactBucket: Bucket;
  readonly complianceLogBucket: Bucket;
  readonly tables: Readonly<Record<TableId, TableAccess & { table: TableV2 }>>;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const keyName = (purpose: string) => `alias/gradiant-plugins/${settings.stage}/${purpose}`;

    this.dataKey = new Key(this, 'DataKey', {
      alias: keyName('data'),
      description: 'Gradiant Plugins: tables, artifacts, queues',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.auditKey = new Key(this, 'AuditKey', {
      alias: keyName('audit'),
      description: 'Gradiant Plugins: compliance log',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logKey = new Key(this, 'LogKey', {
      alias: keyName('logs'),
      description: 'Gradiant Plugins: CloudWatch log groups',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: [
          'kms:Encrypt',
          'kms:Decrypt',
          'kms:ReEncryptFrom',
          'kms:ReEncryptTo',
          'kms:GenerateDataKey',
          'kms:DescribeKey',
        ],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*`,
          },
        },
      }),
    );
    // EventBridge writes failed deliveries into the KMS-encrypted dead-letter queue, and CloudWatch
    // alarms publish to the KMS-encrypted operations topic.
    this.dataKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [
          new ServicePrincipal('events.amazonaws.com'),
          new ServicePrincipal('cloudwatch.amazonaws.com'),
        ],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    this.signingKey = new Key(this, 'SigningKey', {
      alias: keyName('signing'),
      description: 'Gradiant Plugins: signs marketplace release statements (ECDSA P-256, SHA-256)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A KMS HMAC key rather than a Secrets Manager secret: the functions that issue cursors derive
    // their in-memory key from it with one GenerateMac per cold start (shared/adapters/aws/
    // kms-cursor-key.ts), so no secret value exists to read or leak, no rotation Lambda is needed
    // and no new SDK client ships. KMS has no automatic rotation for HMAC keys (cdk-nag checks
    // rotation on symmetric keys only); rotating means a new key or label, after which clients
    // start their lists again. Retained like every key here (the stateful stack never deletes one).
    this.cursorKey = new Key(this, 'CursorKey', {
      alias: keyName('cursor'),
      description: 'Gradiant Plugins: derives the key that authenticates pagination cursors (HMAC-SHA-256)',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Webhook secrets are encrypted with their own key, each under its tenant and webhook ids as
    // encryption context: a key policy and CloudTrail of their own, apart from the table's data key.
    this.webhookSecretKey = new Key(this, 'WebhookSecretKey', {
      alias: keyName('webhook-secrets'),
      description: 'Gradiant Plugins: encrypts webhook signing secrets (Standard Webhooks HMAC keys)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securedBucket: BucketProps = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.accessLogBucket = new Bucket(this, 'AccessLogBucket', {
      ...securedBucket,
      // S3 server access logging can only deliver to SSE-S3 buckets, not SSE-KMS.
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          transitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
        },
        {
          expiration: Duration.days(COMPLIANCE_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
    });

    this.artifactBucket = new Bucket(this, 'ArtifactBucket', {
      ...securedBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'artifact-bucket/',
      // Artifacts are content-addressed and immutable in the application; versioning keeps any
      // overwrite or delete recoverable. Incomplete presigned uploads are cleaned up.
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Presigned uploads are copied into content-addressed keys at publish; leftovers are junk.
        { prefix: 'uploads/', expiration: Duration.days(1), noncurrentVersionExpiration: Duration.days(1) },
        // The search snapshot is rewritten on every publish; only the current one is read.
        { prefix: 'search/', noncurrentVersionExpiration: Duration.days(7) },
      ],
    });

    this.complianceLogBucket = new Bucket(this, 'ComplianceLogBucket', {
      ...securedBucket,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.auditKey,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'compliance-log-bucket/',
      objectLockEnabled: true,
      objectLockDefaultRetention:
        settings.complianceLockMode === 'COMPLIANCE'
          ? ObjectLockRetention.compliance(Duration.days(COMPLIANCE_RETENTION_DAYS))
          : ObjectLockRetention.governance(Duration.days(COMPLIANCE_RETENTION_DAYS)),
      lifecycleRules: [
        {
          transitions: [
            { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) },
          ],
        },
      ],
    });
    const created = new Map(
      TABLE_DEFINITIONS.map((definition) => [definition.id, this.createTable(definition, settings)]),
    );
    const tableOf = (tableId: TableId) => {
      const access = created.get(tableId);
      if (!access) throw new Error(`TABLE_DEFINITIONS has no "${tableId}" table`);
      return access;
    };
    this.tables = {
      plugins: tableOf('plugins'),
      marketplace: tableOf('marketplace'),
      audit: tableOf('audit'),
    };
    this.backUpTables(Object.values(this.tables).map((access) => access.table));

    acknowledge(
      this.accessLogBucket.node.defaultChild as Construct,
      'HIPAA.Security-S3DefaultEncryptionKMS',
      'S3 server access logging delivers only to SSE-S3 buckets; the logs hold no PHI (object keys are ids/digests).',
    );
    for (const bucket of [this.accessLogBucket, this.artifactBucket, this.complianceLogBucket]) {
      acknowledge(
        bucket.node.defaultChild as Construct,
        'HIPAA.Security-S3BucketReplicationEnabled',
        'Cross-region replication needs a DR region and destination buckets chosen per deployment; versioning (and Object Lock on the compliance log) protect the data meanwhile. Tracked in infra/README.md.',
      );
    }
  }

  private createTable(definition: TableDefinition, settings: PlatformSettings) {
    const table = new TableV2(this, `${capitalize(definition.id)}Table`, {
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.dataKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: settings.isProduction,
      removalPolicy: settings.isProduction ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      timeToLiveAttribute: definition.timeToLiveAttribute,
      ...(definition.stream ? { dynamoStream: StreamViewType.NEW_IMAGE } : {}),
      globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
      })),
    });
    return { table, indexNames: definition.globalIndexes.map((index) => index.name), key: this.dataKey };
  }

  /** PITR covers 35 days; the backup plan keeps monthly copies for a year (HIPAA contingency plan). */
  private backUpTables(tables: readonly TableV2[]): void {
    const vault = new BackupVault(this, 'BackupVault', {
      encryptionKey: this.dataKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = BackupPlan.dailyMonthly1YearRetention(this, 'BackupPlan', vault);
    const selection = plan.addSelection('Tables', {
      resources: tables.map((table) => BackupResource.fromArn(table.tableArn)),
    });
    acknowledge(
      selection.node.findChild('Role'),
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'AWS Backup needs its service-role policy to snapshot the tables; AWS maintains it as the service evolves.',
    );
  }
}

function capitalize(value: string): string {
  return `${value.charAt(0).toUpperCase()}${value.slice(1)}`;
}

import { Aws } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * Explicit IAM statements instead of CDK's `grant*` helpers, which add wildcard actions
 * (`s3:GetObject*`, `kms:ReEncrypt*`, `s3:DeleteObject*`) and `index/*` resources that a
 * least-privilege review (and cdk-nag IAM5) would have to accept blindly.
 */

const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const TABLE_WRITE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

export interface TableAccess {
  readonly table: ITableV2;
  readonly indexNames: readonly string[];
  readonly key: IKey;
}

export function tableStatements(access: TableAccess, mode: 'read' | 'read-write'): PolicyStatement[] {
  const { table, indexNames, key } = access;
  return [
    new PolicyStatement({
      actions: mode === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE],
      resources: [table.tableArn],
    }),
    ...(indexNames.length > 0
      ? [
          new PolicyStatement({
            actions: ['dynamodb:Query'],
            resources: indexNames.map((name) => `${table.tableArn}/index/${name}`),
          }),
        ]
      : []),
    keyViaService(key, 'dynamodb', mode === 'read' ? ['kms:Decrypt', 'kms:DescribeKey'] : undefined),
  ];
}

/**
 * Appending to a table only (the outbox's conditional PutItem): no UpdateItem, DeleteItem or
 * BatchWriteItem, for a function that must leave records but has nothing to change.
 */
export function tableAppendStatements(access: TableAccess): PolicyStatement[] {
  return [
    new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [access.table.tableArn] }),
    keyViaService(access.key, 'dynamodb'),
  ];
}

/**
 * Updating items of a table only (UpdateItem): for a function that records state on items it may
 * not create or delete (the webhook delivery's last-delivery attribute).
 */
export function tableUpdateStatements(access: TableAccess): PolicyStatement[] {
  return [
    new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [access.table.tableArn] }),
    keyViaService(access.key, 'dynamodb'),
  ];
}

/** One direction of the webhook secret key: the events function encrypts, the delivery decrypts. */
export function webhookSecretKeyStatement(key: IKey, action: 'kms:Encrypt' | 'kms:Decrypt'): PolicyStatement {
  return new PolicyStatement({ actions: [action], resources: [key.keyArn] });
}

/** Object-level access to a bucket; the `/*` resource is why callers acknowledge one IAM5 finding. */
export function bucketStatements(bucket: IBucket, key: IKey, mode: 'read' | 'read-write'): PolicyStatement[] {
  return [
    new PolicyStatement({
      actions: mode === 'read' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects('*')],
    }),
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    keyViaService(key, 's3', mode === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey']),
  ];
}

/** Get and put under one key prefix of a bucket only (no listing); callers acknowledge its IAM5 finding. */
export function bucketPrefixStatements(bucket: IBucket, key: IKey, prefix: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}*`)],
    }),
    keyViaService(key, 's3', ['kms:Decrypt', 'kms:GenerateDataKey']),
  ];
}

export function signingKeyStatement(
  key: IKey,
  actions: readonly ('kms:Sign' | 'kms:Verify' | 'kms:GetPublicKey')[],
) {
  return new PolicyStatement({ actions: [...actions], resources: [key.keyArn] });
}

/** Only GenerateMac: the functions derive the cursor key and never verify or manage the KMS key. */
export function cursorKeyStatement(key: IKey): PolicyStatement {
  return new PolicyStatement({ actions: ['kms:GenerateMac'], resources: [key.keyArn] });
}

export function putEventsStatement(eventBusArn: string): PolicyStatement {
  return new PolicyStatement({ actions: ['events:PutEvents'], resources: [eventBusArn] });
}

export function invokeStatement(functionArn: string): PolicyStatement {
  return new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [functionArn] });
}

/** The ARN pattern of every tenant's EHR signing-key secret (Secrets Manager appends `-XXXXXX`). */
export const ehrSigningSecretsArn = (prefix: string): string =>
  `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${prefix}/ehr-signing/*`;

const TENANT_TAG = 'tenant_id';

/**
 * The EHR connection function's access to the tenants' signing-key secrets: create one only with
 * the tenant tag and no other tag (so no secret under the prefix is ever untagged), read and add a
 * version to tagged ones; nothing else (no delete, no policy, no listing). Secrets Manager encrypts
 * with the data key on the function's behalf only.
 */
export function ehrSigningSecretsManageStatements(prefix: string, key: IKey): PolicyStatement[] {
  const resource = ehrSigningSecretsArn(prefix);
  const tagOnCreate = {
    Null: { [`aws:RequestTag/${TENANT_TAG}`]: 'false' },
    'ForAllValues:StringEquals': { 'aws:TagKeys': [TENANT_TAG] },
  };
  return [
    new PolicyStatement({
      actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
      resources: [resource],
      conditions: tagOnCreate,
    }),
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
      resources: [resource],
      conditions: { Null: { [`secretsmanager:ResourceTag/${TENANT_TAG}`]: 'false' } },
    }),
    keyViaService(key, 'secretsmanager', ['kms:Decrypt', 'kms:GenerateDataKey']),
  ];
}

/**
 * The execution function's read of a tenant's signing key (to sign its client assertions):
 * GetSecretValue on tenant-tagged secrets under the prefix only. Which tenant's secret a run reads
 * is the code's rule (the invocation's tenant), as with its table partitions.
 */
export function ehrSigningSecretsReadStatements(prefix: string, key: IKey): PolicyStatement[] {
  return [
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [ehrSigningSecretsArn(prefix)],
      conditions: { Null: { [`secretsmanager:ResourceTag/${TENANT_TAG}`]: 'false' } },
    }),
    keyViaService(key, 'secretsmanager', ['kms:Decrypt']),
  ];
}

/** Data keys used by S3/DynamoDB/Secrets Manager on the caller's behalf only: never directly. */
function keyViaService(
  key: IKey,
  service: 'dynamodb' | 's3' | 'secretsmanager',
  actions?: string[],
): PolicyStatement {
  return new PolicyStatement({
    actions: actions ?? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
  });
}

import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, type ILayerVersion, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge } from '../compliance-packs.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';

export interface PluginFunctionProps {
  /** Path to the handler module exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Also POWERTOOLS_SERVICE_NAME. */
  readonly serviceName: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Encrypts the function's log group. */
  readonly logKey: IKey;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly reservedConcurrentExecutions: number;
  readonly logRetention?: RetentionDays;
  readonly layers?: readonly ILayerVersion[];
  /** Modules left out of the bundle because a layer provides them. */
  readonly layerModules?: readonly string[];
  /** Extra Node flags (`--enable-source-maps` is always on). */
  readonly nodeOptions?: readonly string[];
  readonly deadLetterQueue?: IQueue;
  readonly retryAttempts?: number;
  /** Why this function runs outside a VPC (acknowledges HIPAA.Security-LambdaInsideVPC). */
  readonly outsideVpcReason: string;
}

/**
 * CJS dependencies inside an ESM bundle call `require` for Node built-ins; ESM has none. The
 * aliased import cannot collide with a handler that imports `createRequire` itself.
 */
const DEFINE_REQUIRE_BANNER =
  "import { createRequire as __gradiantCreateRequire } from 'node:module'; const require = __gradiantCreateRequire(import.meta.url);";

/**
 * The one way the platform builds a Lambda: Node 24 on arm64, an ESM bundle made by the local
 * esbuild (no Docker), X-Ray, a KMS-encrypted log group with retention, reserved concurrency, and
 * a role that starts with nothing but its own log group; callers add least-privilege statements.
 */
export class PluginFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: ManagedPolicyRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: PluginFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retention: props.logRetention ?? RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.serviceName}: execution role`,
    });
    this.allow(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      layers: props.layers ? [...props.layers] : undefined,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: props.retryAttempts,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        NODE_OPTIONS: ['--enable-source-maps', ...(props.nodeOptions ?? [])].join(' '),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: DEFINE_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: ['@aws-sdk/*', ...(props.layerModules ?? [])],
      },
    });
    // Lambda checks the role can reach the dead-letter queue when the function is created, so the
    // managed policy must be attached first (CDK only orders the role itself).
    this.function.node.addDependency(this.role.policy);

    acknowledge(
      this.role.policy,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (AWS docs).',
    );
    acknowledge(this.cfnFunction, 'HIPAA.Security-LambdaInsideVPC', props.outsideVpcReason);
  }

  /** The L1 resource, where per-resource cdk-nag acknowledgments belong. */
  get cfnFunction(): IConstruct {
    const resource = this.function.node.defaultChild;
    if (!resource) throw new Error('NodejsFunction has no default child');
    return resource;
  }

  allow(...statements: PolicyStatement[]): void {
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
  }
}

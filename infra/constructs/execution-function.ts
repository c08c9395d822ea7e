import { Aws, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { IsolatedVmLayer } from './isolated-vm-layer.ts';
import { PluginFunction } from './plugin-function.ts';

export interface ExecutionFunctionProps {
  /** The execution handler module (functions/execution/handler.ts). */
  readonly entry: string;
  readonly isolatedVm: IsolatedVmLayer;
  readonly environment: Readonly<Record<string, string>>;
  readonly logKey: IKey;
  /** Encrypts the dead-letter queue; its policy must let events.amazonaws.com use it. */
  readonly queueKey: IKey;
  /**
   * R, shared by every tenant; each tenant holds at most its policy's `maxConcurrentRuns` of it.
   * Beyond R, Lambda throttles: a sync invoke answers 429, an async delivery is retried.
   */
  readonly reservedConcurrentExecutions: number;
}

/** POWERTOOLS_SERVICE_NAME of the execution function: a dimension of its metrics. */
export const EXECUTION_SERVICE_NAME = 'plugin-execution';

/** Plugin isolate memory limit (issue 3); the function is sized for several times this. */
export const PLUGIN_MEMORY_LIMIT_MB = 128;
/** Plugin wall-clock limit; the function timeout leaves room for loading and verifying the artifact. */
export const PLUGIN_TIMEOUT_SECONDS = 5;

/**
 * The function that runs untrusted plugin code in isolated-vm. It is its own function so that a
 * V8 abort from a hostile plugin (isolated-vm's memory limit is best effort) ends only the one
 * invocation that caused it. Async deliveries that keep failing land in an encrypted queue.
 */
export class ExecutionFunction extends Construct {
  readonly handler: PluginFunction;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: ExecutionFunctionProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.handler = new PluginFunction(this, 'Handler', {
      entry: props.entry,
      description: 'Gradiant Plugins: runs plugin code in isolated-vm (sync invoke and subscribed events)',
      serviceName: EXECUTION_SERVICE_NAME,
      environment: props.environment,
      logKey: props.logKey,
      memorySize: 1024,
      timeout: Duration.seconds(3 * PLUGIN_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      layers: [props.isolatedVm.layer],
      layerModules: props.isolatedVm.modules,
      nodeOptions: ['--no-node-snapshot'],
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 2,
      outsideVpcReason:
        'No VPC resource to reach (AWS APIs over IAM + TLS). Plugin http.fetch egress is enforced host-side against the manifest hosts and tenant policy on every call; a VPC with a domain-filtering egress firewall is the planned second layer (infra/README.md).',
    });
    // Lambda's asynchronous-invocation DLQ is written with the function's role.
    this.handler.allow(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.queueKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}

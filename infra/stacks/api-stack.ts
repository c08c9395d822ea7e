import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import {
  FUNCTION_NAMES,
  type HttpFunctionName,
  type RouteDefinition,
} from '../../shared/http/route-table.ts';
import { acknowledge } from '../compliance-packs.ts';
import { invokeStatement } from '../constructs/access-statements.ts';
import { AdvisoryRefresh } from '../constructs/advisory-refresh.ts';
import { PluginFunction } from '../constructs/plugin-function.ts';
import { RouteTableApi } from '../constructs/route-table-api.ts';
import type { AccessGrants, PlatformResources } from '../platform-resources.ts';

interface HttpFunctionSpec {
  readonly serviceName: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly reservedConcurrentExecutions: number;
  readonly grants: AccessGrants;
  /** Hands invocations to the execution function (POST /v1/plugins/{id}/invoke). */
  readonly invokesExecution: boolean;
}

/**
 * How each HTTP function is sized and what it may touch. `satisfies` makes adding a name to
 * FUNCTION_NAMES a type error here until the new function has a spec.
 */
export const HTTP_FUNCTION_SPECS = {
  platform: {
    serviceName: 'platform',
    description: 'Gradiant Plugins: health and platform metadata',
    memorySize: 256,
    timeout: Duration.seconds(5),
    reservedConcurrentExecutions: 5,
    grants: {},
    invokesExecution: false,
  },
  lifecycle: {
    serviceName: 'plugin-lifecycle',
    description: 'Gradiant Plugins: install, enable, disable, update, uninstall, invoke',
    memorySize: 512,
    // Above the execution function's timeout: the invoke route waits for the run's result.
    timeout: Duration.seconds(20),
    reservedConcurrentExecutions: 50,
    grants: {
      plugins: 'read-write',
      marketplace: 'read',
      // The outbox: the record of a run whose execution process died is appended (PutItem only).
      auditAppend: true,
      // Direct installs (issue 4) store the tenant-supplied artifact before it is enabled.
      artifacts: 'read-write',
      signing: ['kms:GetPublicKey', 'kms:Verify'],
      putEvents: true,
      cursorKey: true,
    },
    invokesExecution: true,
  },
  marketplace: {
    serviceName: 'plugin-marketplace',
    description: 'Gradiant Plugins: publish, search, versions, reviews, signed distribution',
    memorySize: 1024,
    timeout: Duration.seconds(15),
    reservedConcurrentExecutions: 20,
    grants: {
      marketplace: 'read-write',
      plugins: 'read-write',
      artifacts: 'read-write',
      signing: ['kms:Sign', 'kms:GetPublicKey'],
      putEvents: true,
      cursorKey: true,
    },
    invokesExecution: false,
  },
  audit: {
    serviceName: 'audit-query',
    description: 'Gradiant Plugins: audit query, FHIR AuditEvent export, accounting of disclosures',
    memorySize: 512,
    timeout: Duration.seconds(10),
    reservedConcurrentExecutions: 5,
    // The privacy officer's read side: the audit table read (its GSI1 for plugin queries), the
    // cursor key, and PutItem on the audit table for nothing but each request's own api:request
    // record (reading the audit trail is itself an access to account for); nothing else.
    grants: { audit: 'read', auditAppend: true, cursorKey: true },
    invokesExecution: false,
  },
  'ehr-connection': {
    serviceName: 'ehr-connection',
    description: 'Gradiant Plugins: tenant EHR connection, its signing keys, public JWKS and connection test',
    memorySize: 512,
    // Discovery at save and the connection test wait for the EHR (EHR_PROBE_TIMEOUT_MS, 8 s).
    timeout: Duration.seconds(20),
    reservedConcurrentExecutions: 10,
    // Its one item per tenant in the plugins table with the outbox put in the same transaction
    // (a TransactWriteItems Put is PutItem), and the tenants' signing-key secrets.
    grants: { plugins: 'read-write', auditAppend: true, ehrSigningSecrets: 'manage' },
    invokesExecution: false,
  },
  'ehr-notifications': {
    serviceName: 'ehr-notifications',
    description: "Gradiant Plugins: the tenant EHR's rest-hook notifications, turned into data events",
    memorySize: 512,
    // Above the re-read budget (EHR_NOTIFICATION_READ_BUDGET_MS, 8 s): the answer waits for the claims.
    timeout: Duration.seconds(12),
    reservedConcurrentExecutions: 20,
    // The plugins table: each tenant's connection (read), the change ledger and the notification
    // counter (conditional writes). The audit table: the outbox entries that commit with a claim,
    // and each request's api:request record (PutItem only). The tenants' EHR signing secrets, read
    // only: each re-read of a notified record goes with the platform's own token. No bus, no
    // artifacts, no release signing key.
    grants: { plugins: 'read-write', auditAppend: true, ehrSigningSecrets: 'read' },
    invokesExecution: false,
  },
  events: {
    serviceName: 'tenant-events',
    description: "Gradiant Plugins: the tenant's events feed and webhooks",
    memorySize: 512,
    // Registration resolves the webhook's host name (the endpoint guard) before it answers.
    timeout: Duration.seconds(10),
    reservedConcurrentExecutions: 20,
    // The feed: a Query in the tenant's audit partition (read). The webhooks and idempotency
    // records in the plugins table, with their outbox entries and each request's api:request
    // record appended to the audit table (PutItem only). Encrypt (never Decrypt) with the webhook
    // secret key: it seals a new secret and can never read one back. No bus, artifacts or signing.
    grants: {
      plugins: 'read-write',
      audit: 'read',
      auditAppend: true,
      cursorKey: true,
      webhookSecrets: 'encrypt',
    },
    invokesExecution: false,
  },
} as const satisfies Record<HttpFunctionName, HttpFunctionSpec>;

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function handlerEntry(name: string): string {
  return `${REPOSITORY_ROOT}functions/${name}/handler.ts`;
}

export interface ApiStackProps extends StackProps {
  readonly resources: PlatformResources;
  readonly routes: readonly RouteDefinition[];
  /** The execution function, once it exists; lifecycle then gets its name and invoke permission. */
  readonly executionFunction?: IFunction | undefined;
  /** Overrides `functions/<name>/handler.ts` (tests). */
  readonly entries?: Partial<Record<HttpFunctionName, string>>;
  /** Overrides `functions/advisory-refresh/handler.ts` (tests). */
  readonly advisoryRefreshEntry?: string;
  /** Where the advisory refresh's failure alarm publishes. */
  readonly operationsTopic?: ITopic | undefined;
}

/** The HTTP API: one Lambda per function named in the route table, one route per entry. */
export class ApiStack extends Stack {
  readonly api: RouteTableApi;
  readonly functions: ReadonlyMap<HttpFunctionName, PluginFunction>;
  /** The marketplace's scheduled advisory refresh and rescan (not an HTTP function). */
  readonly advisoryRefresh: AdvisoryRefresh;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { resources } = props;

    const functions = new Map<HttpFunctionName, PluginFunction>();
    for (const name of FUNCTION_NAMES) {
      if (!props.routes.some((route) => route.function === name)) continue;
      const entry = props.entries?.[name] ?? handlerEntry(name);
      if (!existsSync(entry))
        throw new Error(
          `The route table routes to "${name}" but ${entry} does not exist; add the handler first.`,
        );
      functions.set(name, this.createFunction(name, entry, resources, props.executionFunction));
    }
    this.functions = functions;

    this.api = new RouteTableApi(this, 'Api', {
      routes: props.routes,
      functions: new Map([...functions].map(([name, fn]) => [name, fn.function])),
      jwtIssuer: resources.settings.jwtIssuer,
      jwtAudience: resources.settings.jwtAudience,
      logKey: resources.logKey,
      throttle: { rateLimit: 200, burstLimit: 400 },
      // The one route without a token: held well below the API's limit before any Lambda runs,
      // on top of the per-tenant counter the function keeps.
      routeThrottles: { 'POST /v1/ehr/notifications/{tenantId}': { rateLimit: 50, burstLimit: 100 } },
    });
    // The JWKS URLs the EHR connection answers are absolute: built on the API's own endpoint.
    functions
      .get('ehr-connection')
      ?.function.addEnvironment('PUBLIC_API_BASE_URL', this.api.httpApi.apiEndpoint);
    new CfnOutput(this, 'ApiUrl', { value: this.api.httpApi.apiEndpoint });
    this.advisoryRefresh = new AdvisoryRefresh(this, 'AdvisoryRefresh', {
      resources,
      entry: props.advisoryRefreshEntry ?? handlerEntry('advisory-refresh'),
      operationsTopic: props.operationsTopic,
    });
  }

  private createFunction(
    name: HttpFunctionName,
    entry: string,
    resources: PlatformResources,
    execution: IFunction | undefined,
  ): PluginFunction {
    const spec: HttpFunctionSpec = HTTP_FUNCTION_SPECS[name];
    const invokes = spec.invokesExecution && execution !== undefined;
    const fn = new PluginFunction(this, `${capitalize(name)}Function`, {
      entry,
      description: spec.description,
      serviceName: spec.serviceName,
      environment: resources.environmentFor(
        invokes ? { EXECUTION_FUNCTION_NAME: execution.functionName } : {},
      ),
      logKey: resources.logKey,
      memorySize: spec.memorySize,
      timeout: spec.timeout,
      reservedConcurrentExecutions: spec.reservedConcurrentExecutions,
      outsideVpcReason:
        'Serves API Gateway and calls only AWS APIs (IAM-authenticated, TLS) and the issuer JWKS over HTTPS; there is no VPC resource to reach, and a NAT path would add cost without narrowing access.',
    });
    resources.grant(fn, spec.grants);
    if (invokes) fn.allow(invokeStatement(execution.functionArn));
    acknowledge(
      fn.cfnFunction,
      'HIPAA.Security-LambdaDLQ',
      'Invoked synchronously by API Gateway: the caller gets the error; a DLQ receives only failed asynchronous invocations.',
    );
    return fn;
  }
}

/** `ehr-connection` → `EhrConnection`: construct ids of one-word names stay as they were. */
function capitalize(value: string): string {
  return value
    .split('-')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
}

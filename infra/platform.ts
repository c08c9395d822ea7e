import { existsSync } from 'node:fs';
import { Annotations, type App } from 'aws-cdk-lib';
import { isPlaceholderUrl } from '../shared/config/mode-settings.ts';
import { type HttpFunctionName, ROUTES, type RouteDefinition } from '../shared/http/route-table.ts';
import { PlatformResources } from './platform-resources.ts';
import type { PlatformSettings } from './settings.ts';
import { ApiStack, handlerEntry } from './stacks/api-stack.ts';
import { AuditStack } from './stacks/audit-stack.ts';
import { ExecutionStack } from './stacks/execution-stack.ts';
import { StorageStack } from './stacks/storage-stack.ts';

export interface PlatformOptions {
  readonly routes?: readonly RouteDefinition[];
  /**
   * The execution handler. Defaults to functions/execution/handler.ts when that file exists, so the
   * function, its rules and lifecycle's invoke permission appear as soon as the handler lands.
   */
  readonly executionEntry?: string | undefined;
  readonly entries?: Partial<Record<HttpFunctionName, string>>;
  /** The audit-stream and audit-digest handlers (default: functions/audit-stream|audit-digest/handler.ts). */
  readonly auditEntries?: { readonly stream?: string; readonly digest?: string; readonly webhooks?: string };
  /** The advisory refresh handler (default: functions/advisory-refresh/handler.ts). */
  readonly advisoryRefreshEntry?: string;
}

export interface PlatformStacks {
  readonly storage: StorageStack;
  readonly audit: AuditStack;
  readonly execution: ExecutionStack;
  readonly api: ApiStack;
}

/**
 * The four stacks, stateful first: Storage (keys, buckets, tables) ← Audit (bus, compliance log)
 * ← Execution (layer, execution function, event rules) ← Api (HTTP API and its functions).
 */
export function createPlatform(
  app: App,
  settings: PlatformSettings,
  options: PlatformOptions = {},
): PlatformStacks {
  const prefix = `GradiantPlugins-${settings.stage}`;
  const env = { region: settings.region };
  const tags = { project: 'gradiant-plugins', stage: settings.stage, 'data-classification': 'phi' };

  const storage = new StorageStack(app, `${prefix}-Storage`, {
    settings,
    description: 'Gradiant Plugins: KMS keys, artifact and compliance-log buckets, DynamoDB tables',
    terminationProtection: settings.isProduction,
    env,
    tags,
  });
  const audit = new AuditStack(app, `${prefix}-Audit`, {
    settings,
    complianceLogBucket: storage.complianceLogBucket,
    auditKey: storage.auditKey,
    logKey: storage.logKey,
    dataKey: storage.dataKey,
    description: 'Gradiant Plugins: event bus, archive, compliance log delivery',
    terminationProtection: settings.isProduction,
    env,
    tags,
  });
  const resources = new PlatformResources(settings, storage, audit.eventBus);
  audit.addDelivery(resources, {
    stream: options.auditEntries?.stream ?? handlerEntry('audit-stream'),
    digest: options.auditEntries?.digest ?? handlerEntry('audit-digest'),
    webhooks: options.auditEntries?.webhooks ?? handlerEntry('webhook-delivery'),
  });

  const defaultExecutionEntry = handlerEntry('execution');
  const executionEntry =
    'executionEntry' in options
      ? options.executionEntry
      : existsSync(defaultExecutionEntry)
        ? defaultExecutionEntry
        : undefined;
  const execution = new ExecutionStack(app, `${prefix}-Execution`, {
    resources,
    eventBus: audit.eventBus,
    operationsTopic: audit.operationsTopic,
    ...(options.advisoryRefreshEntry ? { advisoryRefreshEntry: options.advisoryRefreshEntry } : {}),
    executionEntry,
    description: 'Gradiant Plugins: isolated-vm layer, execution function, subscribed event rules',
    env,
    tags,
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    resources,
    routes: options.routes ?? ROUTES,
    executionFunction: execution.execution?.handler.function,
    entries: options.entries,
    operationsTopic: audit.operationsTopic,
    ...(options.advisoryRefreshEntry ? { advisoryRefreshEntry: options.advisoryRefreshEntry } : {}),
    description: 'Gradiant Plugins: HTTP API (JWT authorizer) and its functions',
    env,
    tags,
  });
  // Synthesizing with cdk.json's placeholder issuer is fine for a look at the templates; deployed,
  // every function would refuse to start (its config refuses a placeholder), so say it here.
  for (const key of ['jwtIssuer', 'jwksUrl'] as const) {
    if (isPlaceholderUrl(settings[key]))
      Annotations.of(api).addWarningV2(
        `gradiant:placeholder-${key}`,
        `gradiant:${key} is the placeholder ${settings[key]}: deployed functions refuse to start with it; pass -c gradiant:${key}=<your identity provider's https URL>`,
      );
  }
  return { storage, audit, execution, api };
}

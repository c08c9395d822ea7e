import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createAuditHandler } from '../../functions/audit/wiring.ts';
import { loadEhrConnectionConfig } from '../../functions/ehr-connection/config.ts';
import { createEhrConnectionHandler } from '../../functions/ehr-connection/wiring.ts';
import { createEhrNotificationsHandler } from '../../functions/ehr-notifications/wiring.ts';
import { createEventsHandler } from '../../functions/events/wiring.ts';
import { createLifecycleHandler } from '../../functions/lifecycle/wiring.ts';
import { createMarketplaceHandler } from '../../functions/marketplace/wiring.ts';
import { createPlatformHandler } from '../../functions/platform/wiring.ts';
import { payloadTooLarge, routeNotFound } from '../../shared/domain/errors/request-errors.ts';
import { problemResponse } from '../../shared/http/problem.ts';
import { type HttpFunctionName, ROUTES } from '../../shared/http/route-table.ts';
import { dynamoDbClientSettings } from '../../shared/wiring/aws-client-settings.ts';
import { toApiGatewayEvent } from './api-gateway-event.ts';
import { apiReferenceResponse } from './api-reference.ts';
import { connectDemoTenants, seedDemoEhr } from './demo/demo-ehr.ts';
import { seedDemoMarketplaceFromConfig } from './demo/seed-demo-marketplace.ts';
import { handleDevToken } from './dev-token.ts';
import { createLambdaContext } from './lambda-context.ts';
import { startLocalAudit } from './local-audit.ts';
import { LOCAL_BUCKET_NAMES } from './local-buckets.ts';
import { buildLocalEnvironment, localFunctionConfigs } from './local-environment.ts';
import { startLocalExecution } from './local-execution.ts';
import { loadLocalIssuer } from './local-issuer.ts';
import { ensureTables, LOCAL_TABLE_NAMES } from './local-tables.ts';
import { startLocalWebhookDelivery } from './local-webhook-delivery.ts';
import { createRouteMatcher } from './route-matcher.ts';
import { startDynamoDbLocal } from './stand-ins/dynamodb-local.ts';
import { type LocalFhirServer, startLocalFhirServer } from './stand-ins/fhir/local-fhir-server.ts';
import { type PublisherProofServer, startPublisherProofServer } from './stand-ins/publisher-proof-server.ts';
import { startS3Local } from './stand-ins/s3-local.ts';

/** API Gateway's payload limit for HTTP APIs is 10 MB; Lambda's synchronous request limit is 6 MB. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalPlatformOptions {
  readonly port?: number;
  readonly dataDirectory: string;
  readonly reset?: boolean;
  readonly seed?: boolean;
  /** The handlers' log level (default WARN: a developer's terminal shows problems, not every request). */
  readonly logLevel?: string;
  /** `LOCAL_EXECUTION_WORKERS`: the size of this instance's execution worker pool (default 3). */
  readonly executionWorkers?: string;
  /**
   * The environment the execution workers start from, under this instance's settings (main.ts
   * passes its own, so NODE_OPTIONS and PATH reach them); nothing else of it is read.
   */
  readonly baseEnvironment?: NodeJS.ProcessEnv;
  /**
   * `EHR_LOOPBACK_ORIGINS` besides this instance's own FHIR stand-in: other EHRs on this machine a
   * tenant may connect to (say a HAPI server a developer runs); none by default.
   */
  readonly ehrLoopbackOrigins?: readonly string[];
  /**
   * `WEBHOOK_LOOPBACK_ORIGINS`: webhook receivers on this machine (`http://127.0.0.1:4555`) that
   * tenants may register and deliveries may reach, although loopback and plain http; none by default.
   */
  readonly webhookLoopbackOrigins?: readonly string[];
}

export interface LocalPlatform {
  readonly url: string;
  /** The stand-ins' endpoints, for tools pointed at this instance (`audit verify --endpoint`). */
  readonly endpoints: { readonly dynamodb: string; readonly s3: string; readonly fhir: string };
  /** The FHIR stand-in: the demo tenants' EHRs (tests change records in it directly, as an EHR user would). */
  readonly fhir: LocalFhirServer;
  /** Publishers' web servers for `.localhost` domains: tests serve well-known proofs here. */
  readonly publisherProofs: PublisherProofServer;
  /**
   * Delivers what the audit table's stream holds, signs the digests and makes the webhook
   * deliveries due now (tests wait on it; retries due later stay on their timers).
   */
  settleAudit(): Promise<void>;
  issueToken(tenantId: string, subject: string, scopes: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTooLarge = false;
    request.on('data', (chunk: Buffer) => {
      if (isTooLarge) return;
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        // Answer 413 at once and discard the rest, rather than cutting the connection mid-upload.
        isTooLarge = true;
        chunks.length = 0;
        reject(payloadTooLarge(MAX_REQUEST_BYTES, 'request'));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(body);
}

/**
 * One process, one port, the deployed handlers: each request becomes the API Gateway event the
 * route table's function would receive in AWS, and the handler's result becomes the response.
 * Stand-ins (DynamoDB Local, s3rver) are child processes or in-process servers this owns.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  if (options.reset) rmSync(options.dataDirectory, { recursive: true, force: true });
  mkdirSync(options.dataDirectory, { recursive: true });
  mkdirSync(join(options.dataDirectory, 'dynamodb'), { recursive: true });
  const dynamodb = await startDynamoDbLocal({ dbPath: join(options.dataDirectory, 'dynamodb') });
  const s3 = await startS3Local({
    directory: join(options.dataDirectory, 's3'),
    buckets: Object.values(LOCAL_BUCKET_NAMES),
  }).catch(async (error) => {
    await dynamodb.stop();
    throw error;
  });
  // The tenants' EHRs: a FHIR R4 server on loopback, the one http EHR tenants may connect to here.
  const fhir = await startLocalFhirServer({ port: 0 }).catch(async (error) => {
    await Promise.allSettled([s3.stop(), dynamodb.stop()]);
    throw error;
  });
  const publisherProofs = await startPublisherProofServer().catch(async (error) => {
    await Promise.allSettled([fhir.close(), s3.stop(), dynamodb.stop()]);
    throw error;
  });
  const issuer = await loadLocalIssuer(join(options.dataDirectory, 'keys'));

  const environment = buildLocalEnvironment({
    dataDirectory: options.dataDirectory,
    dynamodbEndpoint: dynamodb.endpoint,
    s3Endpoint: s3.endpoint,
    issuer,
    standIns: { dynamodb, s3, fhir },
    logLevel: options.logLevel ?? 'WARN',
    executionWorkers: options.executionWorkers,
    ehrLoopbackOrigins: [fhir.origin, ...(options.ehrLoopbackOrigins ?? [])],
    publisherProofOrigin: publisherProofs.origin,
    webhookLoopbackOrigins: options.webhookLoopbackOrigins,
  });
  const configs = localFunctionConfigs(environment);
  const execution = startLocalExecution({
    config: configs.execution,
    workers: configs.lifecycle.LOCAL_EXECUTION_WORKERS,
    workerEnvironment: { ...options.baseEnvironment, ...environment },
  });

  const rawClient = new DynamoDBClient(dynamoDbClientSettings(configs.lifecycle));
  await ensureTables(rawClient, LOCAL_TABLE_NAMES);
  // Webhook deliveries: the delivery function's handler behind an in-process queue (SQS deployed).
  const webhookDelivery = startLocalWebhookDelivery(configs.webhookDelivery);
  // The outbox's delivery (bus, chain, index, rules, feed) and the signed digests, as deployed.
  const auditDelivery = await startLocalAudit({
    webhookQueue: webhookDelivery.queue,
    streamConfig: configs.auditStream,
    digestConfig: configs.auditDigest,
    bus: execution.bus,
    dynamodb: rawClient,
    dataDirectory: options.dataDirectory,
  });
  if (options.seed !== false) {
    await seedDemoEhr(fhir, new Date());
    // The marketplace seeds through its own service (publishing, signing), as a publisher would.
    await seedDemoMarketplaceFromConfig({
      dataDirectory: options.dataDirectory,
      config: configs.marketplace,
      events: execution.bus,
    });
  }

  // Built after seeding: the marketplace loads its search index at once, as in a Lambda init phase.
  // The EHR connection function needs this instance's origin (its JWKS URLs), known once listening.
  let resolveHandlers: (handlers: Readonly<Record<HttpFunctionName, LambdaHandler>>) => void = () => {};
  const handlersReady = new Promise<Readonly<Record<HttpFunctionName, LambdaHandler>>>((resolve) => {
    resolveHandlers = resolve;
  });
  const handlersFor = (publicUrl: string): Readonly<Record<HttpFunctionName, LambdaHandler>> => ({
    platform: createPlatformHandler(configs.platform),
    lifecycle: createLifecycleHandler(configs.lifecycle, {
      invoker: execution.invoker,
      events: execution.bus,
    }),
    marketplace: createMarketplaceHandler(configs.marketplace, { events: execution.bus }),
    audit: createAuditHandler(configs.audit),
    'ehr-connection': createEhrConnectionHandler(
      loadEhrConnectionConfig({ ...environment, PUBLIC_API_BASE_URL: publicUrl }),
    ),
    'ehr-notifications': createEhrNotificationsHandler(configs.ehrNotifications),
    events: createEventsHandler(configs.events),
  });
  const match = createRouteMatcher(ROUTES);

  const server = createServer(async (request, response) => {
    const requestId = randomUUID();
    try {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'GET' && url.pathname === '/local/dev-token') {
        return send(response, await handleDevToken(url.searchParams, issuer, requestId));
      }
      const reference =
        request.method === 'GET' ? await apiReferenceResponse(url.pathname, requestId) : undefined;
      if (reference) return send(response, reference);
      const matched = match(request.method ?? 'GET', url.pathname);
      if (!matched) throw routeNotFound('No route matches this method and path.');
      const handler = (await handlersReady)[matched.route.function];
      const event = toApiGatewayEvent({
        request,
        body,
        routeKey: matched.route.routeKey,
        pathParameters: matched.pathParameters,
        requestId,
        now: new Date(),
      });
      send(response, await handler(event, createLambdaContext(matched.route.function, requestId)));
    } catch (error) {
      if (!response.headersSent) send(response, problemResponse(error, requestId));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  resolveHandlers(handlersFor(url));
  if (options.seed !== false) {
    // Connected over the API, as a tenant admin would: the whole SMART auth path runs locally.
    await connectDemoTenants({
      platformUrl: url,
      fhir,
      tokenFor: async (tenantId) =>
        (await issuer.issue({ tenantId, subject: 'demo-admin', scopes: ['plugins:admin'] })).access_token,
    });
  }

  return {
    url,
    endpoints: { dynamodb: dynamodb.endpoint, s3: s3.endpoint, fhir: fhir.origin },
    fhir,
    publisherProofs,
    settleAudit: async () => {
      await auditDelivery.settle();
      await webhookDelivery.queue.settle();
    },
    issueToken: async (tenantId, subject, scopes) =>
      (await issuer.issue({ tenantId, subject, scopes })).access_token,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await auditDelivery.stop();
      await webhookDelivery.queue.stop();
      rawClient.destroy();
      await execution.stop();
      await Promise.allSettled([s3.stop(), dynamodb.stop(), fhir.close(), publisherProofs.close()]);
    },
  };
}

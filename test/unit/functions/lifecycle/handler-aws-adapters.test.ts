import { generateKeyPairSync, sign } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LifecycleConfigSchema } from '../../../../functions/lifecycle/config.ts';
import { createLifecycleHandler } from '../../../../functions/lifecycle/wiring.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import { anInstallation } from '../../../support/installation-factory.ts';
import { SAMPLE_CODE, sampleMetadata } from '../../../support/lifecycle-harness.ts';
import { createTestIssuer } from '../../../support/test-issuer.ts';

const context = {} as never;
const KEY_ID = 'arn:aws:kms:eu-west-1:123456789012:key/test-signing-key';

/** The deployed wiring (AWS adapters) with every AWS client mocked at the SDK level. */
describe('lifecycle handler over the AWS adapters', () => {
  const dynamodb = mockClient(DynamoDBDocumentClient);
  const s3 = mockClient(S3Client);
  const kms = mockClient(KMSClient);
  const eventBridge = mockClient(EventBridgeClient);
  const lambda = mockClient(LambdaClient);
  const platformKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let handler: ReturnType<typeof createLifecycleHandler>;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const config = LifecycleConfigSchema.parse({
      ...issuer.deployedEnv,
      AWS_REGION: 'eu-west-1',
      PLATFORM_MODE: 'aws',
      PLUGINS_TABLE: 'plugins-table',
      MARKETPLACE_TABLE: 'marketplace-table',
      AUDIT_TABLE: 'audit-table',
      ARTIFACT_BUCKET: 'artifact-bucket',
      COMPLIANCE_LOG_BUCKET: 'compliance-bucket',
      EVENT_BUS_NAME: 'plugins-bus',
      SIGNING_KEY_ID: KEY_ID,
      CURSOR_KEY_ID: 'alias/cursor-key',
      EXECUTION_FUNCTION_NAME: 'execution-fn',
    });
    handler = createLifecycleHandler(config);
  });

  beforeEach(() => {
    for (const mock of [dynamodb, s3, kms, eventBridge, lambda]) mock.reset();
    // Deployed, the verifier fetches the issuer's keys from JWT_JWKS_URL.
    vi.spyOn(globalThis, 'fetch').mockImplementation(issuer.fetchJwks);
    kms
      .on(GetPublicKeyCommand)
      .resolves({ PublicKey: platformKey.publicKey.export({ format: 'der', type: 'spki' }) });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    s3.on(PutObjectCommand).resolves({});
    dynamodb.on(GetCommand).resolves({});
    dynamodb.on(PutCommand).resolves({});
    dynamodb.on(TransactWriteCommand).resolves({});
  });

  afterEach(() => vi.restoreAllMocks());

  const request = async (routeKey: string, options: { id?: string; body?: unknown } = {}) => {
    const token = await issuer.token(
      't-acme',
      ['plugins:admin', 'plugins:invoke', 'plugins:read'],
      'admin-1',
    );
    const response = await handler(
      httpEvent(routeKey, {
        headers: { authorization: `Bearer ${token}` },
        ...(options.id ? { pathParameters: { id: options.id } } : {}),
        ...(options.body === undefined ? {} : { body: options.body }),
      }),
      context,
    );
    return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
  };

  it('installs a platform-signed artifact: S3 artifact, one transaction of the conditional put, its record and event, one KMS call', async () => {
    const signature = sign('sha256', Buffer.from(SAMPLE_CODE), {
      key: platformKey.privateKey,
      dsaEncoding: 'der',
    });
    const body = {
      id: 'p1',
      version: '1.0.0',
      code: SAMPLE_CODE,
      metadata: sampleMetadata(),
      signature: { keyId: KEY_ID, signature: signature.toString('base64') },
    };

    const first = await request('POST /v1/plugins', { body });
    const second = await request('POST /v1/plugins', { body: { ...body, id: 'p2' } });

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({ Bucket: 'artifact-bucket' });
    const [install] = dynamodb.commandCalls(TransactWriteCommand);
    const [change, ...outbox] = install?.args[0].input.TransactItems ?? [];
    expect(change?.Put).toMatchObject({
      TableName: 'plugins-table',
      ConditionExpression: 'attribute_not_exists(PK)',
      Item: { PK: 'TENANT#t-acme', SK: 'INSTALL#p1' },
    });
    // The record and the event wait in the audit table's outbox; its stream delivers them to the bus.
    expect(outbox.map((item) => [item.Put?.TableName, item.Put?.Item?.PK, item.Put?.Item?.name])).toEqual([
      ['audit-table', 'TENANT#t-acme', 'audit:plugin:install'],
      ['audit-table', 'TENANT#t-acme', 'plugin:installed'],
    ]);
    // The only plain puts are the requests' own `api:request` records, in the audit table.
    const requestRecords = dynamodb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(requestRecords.map((put) => [put.TableName, put.Item?.name])).toEqual([
      ['audit-table', 'audit:api:request'],
      ['audit-table', 'audit:api:request'],
    ]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('invokes the execution Lambda synchronously with the tenant from the token', async () => {
    const installation = anInstallation({
      state: 'enabled',
      sha256: 'c'.repeat(64),
      provenance: { kind: 'platform', keyId: KEY_ID },
      grants: { permissions: ['read:patients'], approvedBy: 'admin-1', approvedAt: new Date().toISOString() },
      revision: 1,
    });
    dynamodb
      .on(GetCommand, { Key: { PK: 'TENANT#t-acme', SK: 'INSTALL#p1' } })
      .resolves({ Item: { data: installation } });
    lambda
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from('{}') as never });

    const response = await request('POST /v1/plugins/{id}/invoke', { id: 'p1', body: { input: { n: 1 } } });

    const invoke = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(invoke?.FunctionName).toBe('execution-fn');
    expect(JSON.parse(Buffer.from(invoke?.Payload as Uint8Array).toString())).toMatchObject({
      kind: 'invoke',
      tenantId: 't-acme',
      pluginId: 'p1',
      input: { n: 1 },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: false, error: { code: 'SandboxCrashed' } });
  });
});

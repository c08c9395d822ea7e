import { generateKeyPairSync, sign } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExecutionConfigSchema } from '../../../../functions/execution/config.ts';
import { createExecutionHandler } from '../../../../functions/execution/dispatch.ts';
import { wireExecution } from '../../../../functions/execution/wiring.ts';
import type { TenantId } from '../../../../shared/domain/identifiers.ts';
import { InstallationSchema } from '../../../../shared/domain/installation.ts';
import { PLATFORM_EVENT_SOURCE } from '../../../../shared/domain/platform-events.ts';
import { serializeStatement } from '../../../../shared/domain/release-statement.ts';
import { sha256Hex } from '../../../../shared/domain/signatures.ts';
import { InMemoryEhrRepository } from '../../../support/fakes/in-memory-ehr-repository.ts';

const CANARY = 'Canary McPhi-Patient';
const CODE = `export default { async execute(input, api) { const p = await api.patients.get('p-1'); return { seen: p.name }; } };`;
const SHA = sha256Hex(CODE);
const KEY_ID = 'arn:aws:kms:us-east-1:000000000000:key/test';

const dynamodb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const eventBridge = mockClient(EventBridgeClient);
/** S3ArtifactStore reads bodies with transformToByteArray only. */
const body = (text: string) =>
  ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) }) as never;

function installation(state: 'enabled' | 'disabled') {
  return InstallationSchema.parse({
    tenantId: 't-acme',
    pluginId: 'reader',
    version: '1.0.0',
    state,
    source: 'marketplace',
    sha256: SHA,
    provenance: { kind: 'platform', keyId: KEY_ID },
    metadata: { name: 'Reader', description: 'Reads', author: 'A', permissions: ['read:patients'] },
    grants: { permissions: ['read:patients'], approvedBy: 'admin', approvedAt: '2030-01-01T00:00:00.000Z' },
    installedAt: '2030-01-01T00:00:00.000Z',
    installedBy: 'admin',
    updatedAt: '2030-01-01T00:00:00.000Z',
    updatedBy: 'admin',
    revision: 1,
  });
}

describe('execution handler (aws-sdk-client-mock)', () => {
  let handler: ReturnType<typeof createExecutionHandler>;
  let deps: ReturnType<typeof wireExecution>;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const payload = serializeStatement({
    pluginId: 'reader',
    version: '1.0.0',
    sha256: SHA,
    publisher: 'pub-1',
    permissions: ['read:patients'],
    publishedAt: '2030-01-01T00:00:00.000Z',
  });
  const statement = JSON.stringify({
    payload,
    keyId: KEY_ID,
    signature: sign('sha256', Buffer.from(payload), { key: privateKey, dsaEncoding: 'der' }).toString(
      'base64',
    ),
  });

  beforeAll(() => {
    const config = ExecutionConfigSchema.parse({
      PLUGINS_TABLE: 'plugins-table',
      MARKETPLACE_TABLE: 'marketplace-table',
      AUDIT_TABLE: 'audit-table',
      ARTIFACT_BUCKET: 'artifacts',
      COMPLIANCE_LOG_BUCKET: 'compliance',
      SIGNING_KEY_ID: KEY_ID,
    });
    // The EHR is the tenant's FHIR server (its own tests cover it), not an AWS client to mock.
    const ehr = new InMemoryEhrRepository();
    void ehr.putPatient('t-acme' as TenantId, { id: 'p-1', name: CANARY, birthDate: '1980-01-01' });
    deps = { ...wireExecution(config), ehr };
    handler = createExecutionHandler(deps);
  });

  afterAll(() => (deps.sandbox as unknown as { dispose(): Promise<void> }).dispose());

  function arrange(state: 'enabled' | 'disabled') {
    dynamodb.reset();
    s3.reset();
    kms.reset();
    eventBridge.reset();
    dynamodb.on(GetCommand).resolves({});
    dynamodb.on(BatchGetCommand).resolves({
      Responses: {
        'plugins-table': [{ PK: 'TENANT#t-acme', SK: 'INSTALL#reader', data: installation(state) }],
      },
    });
    dynamodb.on(TransactWriteCommand).resolves({});
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    dynamodb.on(UpdateCommand).resolves({ Attributes: { amount: 1 } });
    dynamodb.on(PutCommand).resolves({});
    s3.on(GetObjectCommand, { Key: `artifacts/sha256/${SHA}` }).callsFake(() => ({ Body: body(CODE) }));
    s3.on(GetObjectCommand, { Key: 'statements/reader/1.0.0.json' }).callsFake(() => ({
      Body: body(statement),
    }));
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: publicKey.export({ format: 'der', type: 'spki' }) });
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
  }

  const invocation = {
    kind: 'invoke',
    tenantId: 't-acme',
    pluginId: 'reader',
    actor: 'user-1',
    requestId: 'req-1',
    input: null,
  };

  beforeEach(() => arrange('enabled'));

  it('verifies the artifact with the KMS public key fetched once, runs it and records usage', async () => {
    const first = await handler(invocation);
    const second = await handler(invocation);

    expect(first).toMatchObject({ kind: 'ran', result: { ok: true, value: { seen: CANARY } } });
    expect(second).toMatchObject({ kind: 'ran', result: { ok: true } });
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    const usageWrites = dynamodb
      .commandCalls(TransactWriteCommand)
      .flatMap((call) => call.args[0].input.TransactItems ?? [])
      .filter((item) => String(item.Update?.Key?.SK) === 'USAGE#reader#VERSION#1.0.0');
    expect(usageWrites).toHaveLength(2);
    expect(
      dynamodb
        .commandCalls(UpdateCommand)
        .filter((call) => String(call.args[0].input.Key?.SK).startsWith('USAGE#')),
    ).toHaveLength(0);
    const records = dynamodb
      .commandCalls(TransactWriteCommand)
      .flatMap((call) => call.args[0].input.TransactItems ?? [])
      .filter((item) => item.Put?.TableName === 'audit-table')
      .map((item) => item.Put?.Item?.name);
    expect(records).toEqual(['audit:plugin:invoked', 'audit:plugin:invoked']);
    // The record travels with the usage, not on the side: the run path publishes nothing itself.
    const detailTypes = eventBridge
      .commandCalls(PutEventsCommand)
      .flatMap((call) => call.args[0].input.Entries?.map((entry) => entry.DetailType));
    expect(detailTypes).not.toContain('audit:plugin:invoked');
  });

  it('reads the installation, the policy and every run slot in one consistent batch, once', async () => {
    await handler(invocation);

    const batches = dynamodb.commandCalls(BatchGetCommand);
    expect(batches).toHaveLength(1);
    const request = batches[0]?.args[0].input.RequestItems?.['plugins-table'];
    expect(request?.ConsistentRead).toBe(true);
    const sortKeys = request?.Keys?.map((key) => key.SK);
    expect(sortKeys).toEqual(
      expect.arrayContaining(['INSTALL#reader', 'POLICY', 'RUNSLOT#000', 'RUNSLOT#019']),
    );
    expect(request?.Keys?.every((key) => key.PK === 'TENANT#t-acme')).toBe(true);
    const installationReads = dynamodb
      .commandCalls(GetCommand)
      .filter((call) => String(call.args[0].input.Key?.SK).startsWith('INSTALL#'));
    expect(installationReads).toHaveLength(0);
    expect(
      dynamodb
        .commandCalls(QueryCommand)
        .filter((call) =>
          String(call.args[0].input.ExpressionAttributeValues?.[':prefix']).startsWith('RUNSLOT#'),
        ),
    ).toHaveLength(0);
  });

  it('writes the usage, the lease release and the CPU and data-call refunds in one transaction after the run', async () => {
    await handler(invocation);

    const transactions = dynamodb.commandCalls(TransactWriteCommand);
    expect(transactions).toHaveLength(1);
    const items = transactions[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((item) => Object.keys(item)[0])).toEqual([
      'Update',
      'Delete',
      'Update',
      'Update',
      'Update',
      'Update',
      'Update',
      'Put',
    ]);
    expect(items[7]?.Put?.TableName).toBe('audit-table');
    expect(items[1]?.Delete?.Key?.SK).toMatch(/^RUNSLOT#\d{3}$/);
    expect(items[1]?.Delete?.ConditionExpression).toBe('leaseToken = :token');
    expect(String(items[2]?.Update?.Key?.SK)).toMatch(/^COUNTER#reader\/cpuMs#/);
    expect(items[2]?.Update?.ConditionExpression).toBe('amount >= :amount');
    expect(String(items[3]?.Update?.Key?.SK)).toMatch(/^COUNTER#reader\/databaseQueries#/);
    expect(
      items.slice(4, 7).map((item) => String(item.Update?.Key?.SK).split('#').slice(0, 3).join('#')),
    ).toEqual(['USAGEBUCKET#reader#minute', 'USAGEBUCKET#reader#hour', 'USAGEBUCKET#reader#day']);
  });

  it('answers AuditUnavailable, without the plugin output, when the run cannot be recorded', async () => {
    dynamodb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceededException'));

    const outcome = await handler(invocation);

    expect(outcome).toEqual({ kind: 'refused', refusal: { code: 'AuditUnavailable', retryAfterSeconds: 1 } });
    expect(JSON.stringify(outcome)).not.toContain(CANARY);
  });

  it('answers PluginNotEnabled for a disabled installation without reading the artifact', async () => {
    arrange('disabled');

    const result = await handler(invocation);

    expect(result).toEqual({ kind: 'refused', refusal: { code: 'PluginNotEnabled', state: 'disabled' } });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('never writes patient data to the logs', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });

    await handler({ ...invocation, input: { note: CANARY } });
    spy.mockRestore();

    expect(written.join('')).not.toContain(CANARY);
  });

  it('delivers a subscribed event envelope and refuses anything else', async () => {
    const report = await handler({
      version: '0',
      id: 'env-1',
      source: PLATFORM_EVENT_SOURCE,
      'detail-type': 'appointment:scheduled',
      time: '2030-01-01T00:00:00.000Z',
      detail: { id: 'evt-1', tenantId: 't-acme', appointmentId: 'a-1', patientId: 'p-1' },
    });

    expect(report).toMatchObject({ eventId: 'evt-1', delivered: [], failed: [] });
    await expect(handler({ surprise: true })).rejects.toThrow('unrecognised');
  });
});

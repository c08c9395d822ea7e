import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GenerateMacCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MarketplaceConfigSchema } from '../../../../functions/marketplace/config.ts';
import { createMarketplaceHandler } from '../../../../functions/marketplace/wiring.ts';
import { sha256Hex } from '../../../../shared/domain/signatures.ts';
import { httpEvent } from '../../../support/api-gateway-events.ts';
import {
  metadata,
  pluginCode,
  publisherKeyPair,
} from '../../../support/fakes/in-memory-marketplace-harness.ts';
import { createTestIssuer } from '../../../support/test-issuer.ts';

const context = {} as never;
const dynamodb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const kms = mockClient(KMSClient);
const eventBridge = mockClient(EventBridgeClient);
const platformKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

/** The part of an SDK stream body the adapters read. */
const bodyOf = (text: string) => ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) });
const entryItem = (pluginId: string, name: string, tags: string[]) => ({
  PK: `PLUGIN#${pluginId}`,
  SK: 'ENTRY',
  pluginId,
  publisherId: 'pub-acme',
  name,
  description: `${name} for clinics`,
  author: 'Acme',
  tags,
  latestVersion: '1.0.0',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  downloads: 3,
});

describe('marketplace handler', () => {
  let issuer: Awaited<ReturnType<typeof createTestIssuer>>;
  let config: ReturnType<typeof MarketplaceConfigSchema.parse>;
  const handler = () => createMarketplaceHandler(config);
  const call = async (
    routeKey: string,
    options: Parameters<typeof httpEvent>[1],
    scopes: string[],
    tenant = 'pub-acme',
  ) => {
    const token = await issuer.token(tenant, scopes);
    const response = await handler()(
      httpEvent(routeKey, { ...options, headers: { authorization: `Bearer ${token}`, ...options?.headers } }),
      context,
    );
    return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
  };

  beforeAll(async () => {
    issuer = await createTestIssuer();
    config = MarketplaceConfigSchema.parse({
      ...issuer.deployedEnv,
      PLATFORM_MODE: 'aws',
      PLUGINS_TABLE: 'plugins-table',
      MARKETPLACE_TABLE: 'marketplace-table',
      AUDIT_TABLE: 'audit-table',
      ARTIFACT_BUCKET: 'artifact-bucket',
      COMPLIANCE_LOG_BUCKET: 'compliance-bucket',
      SIGNING_KEY_ID: 'alias/platform-signing',
      CURSOR_KEY_ID: 'alias/cursor-key',
    });
  });

  beforeEach(() => {
    for (const mock of [dynamodb, s3, kms, eventBridge]) mock.reset();
    vi.restoreAllMocks();
    // Deployed, the verifier fetches the issuer's keys from JWT_JWKS_URL.
    vi.spyOn(globalThis, 'fetch').mockImplementation(issuer.fetchJwks);
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    dynamodb.on(GetCommand).resolves({});
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    kms.on(SignCommand).resolves({
      Signature: sign('sha256', Buffer.from('x'), { key: platformKey.privateKey, dsaEncoding: 'der' }),
    });
    kms.on(GetPublicKeyCommand).resolves({
      PublicKey: createPublicKey(platformKey.privateKey).export({ format: 'der', type: 'spki' }),
    });
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(7) });
  });

  it('searches the catalogue loaded from the catalogue index, with facets', async () => {
    dynamodb.on(QueryCommand, { IndexName: 'GSI1' }).resolves({
      Items: [
        entryItem('lab-viewer', 'Lab Viewer', ['labs']),
        entryItem('scheduler', 'Scheduler', ['scheduling']),
      ],
    });

    const response = await call('GET /v1/marketplace/plugins', { query: { query: 'lab', tags: 'labs' } }, []);

    expect(response.statusCode).toBe(200);
    expect(response.json.items.map((item: { pluginId: string }) => item.pluginId)).toEqual(['lab-viewer']);
    expect(response.json.facets.tags).toEqual({ labs: 1 });
  });

  it('answers hostile search input with a 400 problem or results, never a 500', async () => {
    const long = await call('GET /v1/marketplace/plugins', { query: { query: 'a'.repeat(5000) } }, []);
    const regex = await call('GET /v1/marketplace/plugins', { query: { query: '(a+)+$ .* [\\' } }, []);

    expect(long.statusCode).toBe(400);
    expect(long.headers?.['content-type']).toBe('application/problem+json');
    expect(regex.statusCode).toBe(200);
  });

  it('publishes: verifies the publisher signature, claims the version, stores the artifact and a KMS-signed statement', async () => {
    const publisher = publisherKeyPair();
    const code = pluginCode('published');
    dynamodb.on(GetCommand, { Key: { PK: `PUBLISHER_KEY#${publisher.keyId}`, SK: 'KEY' } }).resolves({
      Item: {
        keyId: publisher.keyId,
        publisherId: 'pub-acme',
        publicKeyPem: publisher.publicKeyPem,
        createdAt: '2030-01-01T00:00:00.000Z',
      },
    });
    dynamodb.on(TransactWriteCommand).resolves({});
    dynamodb.on(UpdateCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});

    const response = await call(
      'POST /v1/marketplace/plugins',
      {
        body: {
          id: 'lab-viewer',
          version: '1.0.0',
          metadata: metadata(),
          code,
          signature: publisher.sign(code),
        },
      },
      ['marketplace:publish'],
    );

    expect(response.statusCode).toBe(201);
    expect(response.json).toMatchObject({
      pluginId: 'lab-viewer',
      version: '1.0.0',
      sha256: sha256Hex(code),
    });
    const keys = s3
      .commandCalls(PutObjectCommand)
      .map((put) => put.args[0].input.Key)
      .filter((key) => !key?.startsWith('search/'));
    expect(keys).toEqual([`artifacts/sha256/${sha256Hex(code)}`, 'statements/lab-viewer/1.0.0.json']);
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
  });

  it('refuses a bad publisher signature with 422 SIGNATURE_INVALID and writes nothing', async () => {
    const publisher = publisherKeyPair();
    const code = pluginCode();
    dynamodb.on(GetCommand, { Key: { PK: `PUBLISHER_KEY#${publisher.keyId}`, SK: 'KEY' } }).resolves({
      Item: {
        keyId: publisher.keyId,
        publisherId: 'pub-acme',
        publicKeyPem: publisher.publicKeyPem,
        createdAt: '2030-01-01T00:00:00.000Z',
      },
    });

    const response = await call(
      'POST /v1/marketplace/plugins',
      {
        body: {
          id: 'lab-viewer',
          version: '1.0.0',
          metadata: metadata(),
          code,
          signature: publisher.sign('other'),
        },
      },
      ['marketplace:publish'],
    );

    expect(response.statusCode).toBe(422);
    expect(response.json.code).toBe('SIGNATURE_INVALID');
    // Nothing in the marketplace table: the only transaction appends the refusal's records.
    const written = dynamodb
      .commandCalls(TransactWriteCommand)
      .flatMap((call) => call.args[0].input.TransactItems ?? []);
    expect(written.map((item) => [item.Put?.TableName, item.Put?.Item?.name])).toEqual([
      ['audit-table', 'audit:marketplace:publish'],
      ['audit-table', 'audit:security:release-verification-failed'],
    ]);
    // The search snapshot of an earlier test may still be landing in the background; it is no artifact.
    const artifactWrites = s3
      .commandCalls(PutObjectCommand)
      .filter((put) => !put.args[0].input.Key?.startsWith('search/'));
    expect(artifactWrites).toHaveLength(0);
  });

  it('refuses to install an artifact whose stored bytes were tampered with', async () => {
    const code = pluginCode('original');
    dynamodb.on(GetCommand, { Key: { PK: 'PLUGIN#lab-viewer', SK: 'VERSION#1.0.0' } }).resolves({
      Item: {
        status: 'active',
        release: {
          pluginId: 'lab-viewer',
          version: '1.0.0',
          sha256: sha256Hex(code),
          sizeBytes: code.length,
          publisherId: 'pub-acme',
          publisherKeyId: 'pk_1',
          metadata: { ...metadata(), events: [], networkHosts: [], dependencies: [], limits: {} },
          publishedAt: '2030-01-01T00:00:00.000Z',
        },
      },
    });
    s3.on(GetObjectCommand, { Key: 'statements/lab-viewer/1.0.0.json' }).resolves({
      Body: bodyOf(JSON.stringify({ payload: '{}', keyId: 'alias/platform-signing', signature: 'AAAA' })),
    } as never);
    s3.on(GetObjectCommand, { Key: `artifacts/sha256/${sha256Hex(code)}` }).resolves({
      Body: bodyOf(pluginCode('evil')),
    } as never);

    const response = await call(
      'POST /v1/marketplace/plugins/{id}/versions/{version}/install',
      { pathParameters: { id: 'lab-viewer', version: '1.0.0' } },
      ['plugins:admin'],
      't-acme',
    );

    expect(response.statusCode).toBe(422);
    expect(response.json.code).toBe('ARTIFACT_TAMPERED');
  });

  it('needs marketplace:admin to revoke and marketplace:review to review', async () => {
    const revoke = await call(
      'POST /v1/marketplace/plugins/{id}/versions/{version}/revoke',
      { pathParameters: { id: 'lab-viewer', version: '1.0.0' }, body: { reason: 'malware' } },
      ['marketplace:publish'],
    );
    const review = await call(
      'PUT /v1/marketplace/plugins/{id}/reviews/mine',
      { pathParameters: { id: 'lab-viewer' }, body: { stars: 5, title: 't' } },
      ['plugins:read'],
    );

    expect([revoke.statusCode, review.statusCode]).toEqual([403, 403]);
  });

  it('refuses a review outside 1..5 stars with a 400 naming the field', async () => {
    const response = await call(
      'PUT /v1/marketplace/plugins/{id}/reviews/mine',
      { pathParameters: { id: 'lab-viewer' }, body: { stars: 6, title: 'Too good' } },
      ['marketplace:review'],
    );

    expect(response.statusCode).toBe(400);
    expect(response.json.errors[0].field).toBe('body.stars');
  });

  it('never writes review text (a canary PHI string) or the token to the logs', async () => {
    dynamodb.on(GetCommand).resolves({});
    // The review-write counters (plugins table) admit the write; then the plugin is not found.
    dynamodb.on(QueryCommand).resolves({ Items: [] });
    dynamodb.on(UpdateCommand).resolves({ Attributes: { amount: 1 } });
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });

    const response = await call(
      'PUT /v1/marketplace/plugins/{id}/reviews/mine',
      {
        pathParameters: { id: 'lab-viewer' },
        body: { stars: 4, title: 'CANARY-PHI-Jane-Roe', body: 'CANARY-PHI-Jane-Roe' },
      },
      ['marketplace:review'],
    );

    expect(response.json.code).toBe('PLUGIN_NOT_FOUND');
    expect(lines.join('')).not.toContain('CANARY-PHI');
  });
});

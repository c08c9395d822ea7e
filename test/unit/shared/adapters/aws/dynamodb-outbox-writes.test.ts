import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { outboxItem } from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbInstallationRepository } from '../../../../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { DynamoDbMarketplaceCatalogue } from '../../../../../shared/adapters/aws/dynamodb-marketplace-catalogue.ts';
import { DynamoDbPublisherKeyRepository } from '../../../../../shared/adapters/aws/dynamodb-publisher-key-repository.ts';
import { DynamoDbTenantPolicyRepository } from '../../../../../shared/adapters/aws/dynamodb-tenant-policy-repository.ts';
import { TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { auditEvent } from '../../../../../shared/services/audit/audit-trail.ts';
import { platformEvent } from '../../../../../shared/services/platform-event.ts';
import { anInstallation } from '../../../../support/installation-factory.ts';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamodb = mockClient(documentClient);
const acme = TenantIdSchema.parse('t-acme');
let sequence = 0;
const sources = {
  ids: { next: () => `id-${++sequence}` },
  clock: { now: () => new Date('2030-01-01T00:00:00.000Z') },
};

/** A change's outbox: its success record and one event, as `audited` hands them to a repository. */
const outboxOf = (action: string, eventName: string) => [
  auditEvent(
    { action, actor: 't-acme/admin-1', tenantId: 't-acme', pluginId: 'p1', outcome: 'success' },
    sources,
  ),
  platformEvent(eventName, 't-acme', { pluginId: 'p1' }, sources),
];

/** DynamoDB's answer to a transaction one of whose items failed its condition, by position. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

/** The one transaction sent: its change items first, then the outbox puts. */
function soleTransaction() {
  const calls = dynamodb.commandCalls(TransactWriteCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input.TransactItems ?? [];
}

const outboxPutsOf = (entries: ReturnType<typeof outboxOf>) =>
  entries.map((entry) => ({
    Put: {
      TableName: 'audit-table',
      Item: outboxItem(entry),
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  }));

const singleWrites = () =>
  [PutCommand, UpdateCommand, DeleteCommand].flatMap((command) => dynamodb.commandCalls(command as never));

describe('repository writes with their outbox entries, in one TransactWriteItems', () => {
  const installations = new DynamoDbInstallationRepository(documentClient, 'plugins-table', 'audit-table');
  const policies = new DynamoDbTenantPolicyRepository(documentClient, 'plugins-table', 'audit-table');
  const catalogue = new DynamoDbMarketplaceCatalogue(documentClient, 'marketplace-table', 'audit-table');
  const keys = new DynamoDbPublisherKeyRepository(documentClient, 'marketplace-table', 'audit-table');

  beforeEach(() => {
    dynamodb.reset();
    dynamodb.on(TransactWriteCommand).resolves({});
  });

  describe('installations', () => {
    it('creates the installation, its record and plugin:installed in one transaction', async () => {
      const entries = outboxOf('plugin:install', 'plugin:installed');

      await installations.create(anInstallation(), entries);

      const [change, ...outbox] = soleTransaction();
      expect(change?.Put).toMatchObject({
        TableName: 'plugins-table',
        Item: { PK: 'TENANT#t-acme', SK: 'INSTALL#p1' },
        ConditionExpression: 'attribute_not_exists(PK)',
      });
      expect(outbox).toEqual(outboxPutsOf(entries));
      expect(singleWrites()).toHaveLength(0);
    });

    it('answers ALREADY_INSTALLED when the install’s condition cancels the transaction', async () => {
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));

      await expect(
        installations.create(anInstallation(), outboxOf('plugin:install', 'plugin:installed')),
      ).rejects.toMatchObject({ code: 'ALREADY_INSTALLED' });
      expect(singleWrites()).toHaveLength(0);
    });

    it('does not take an outbox entry written before for the install’s own refusal', async () => {
      const retried = cancelled('None', 'ConditionalCheckFailed', 'None');
      dynamodb.on(TransactWriteCommand).rejects(retried);

      await expect(
        installations.create(anInstallation(), outboxOf('plugin:install', 'plugin:installed')),
      ).rejects.toBe(retried);
    });

    it('updates at the expected revision with its entries; a lost race is CONCURRENT_MODIFICATION', async () => {
      const entries = outboxOf('plugin:enable', 'plugin:enabled');

      await installations.update(anInstallation({ state: 'enabled', revision: 3 }), entries);
      const [change, ...outbox] = soleTransaction();
      dynamodb.reset();
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));

      expect(change?.Put).toMatchObject({
        TableName: 'plugins-table',
        ConditionExpression: 'revision = :expected',
        ExpressionAttributeValues: { ':expected': 2 },
      });
      expect(outbox).toEqual(outboxPutsOf(entries));
      await expect(installations.update(anInstallation({ revision: 3 }), entries)).rejects.toMatchObject({
        code: 'CONCURRENT_MODIFICATION',
      });
    });

    it('deletes at the expected revision with its entries; a lost race is CONCURRENT_MODIFICATION', async () => {
      const entries = outboxOf('plugin:uninstall', 'plugin:uninstalled');

      await installations.delete(acme, 'p1' as never, 4, entries);
      const [change, ...outbox] = soleTransaction();
      dynamodb.reset();
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None', 'None'));

      expect(change?.Delete).toMatchObject({
        TableName: 'plugins-table',
        Key: { PK: 'TENANT#t-acme', SK: 'INSTALL#p1' },
        ExpressionAttributeValues: { ':expected': 4 },
      });
      expect(outbox).toEqual(outboxPutsOf(entries));
      await expect(installations.delete(acme, 'p1' as never, 4, entries)).rejects.toMatchObject({
        code: 'CONCURRENT_MODIFICATION',
      });
    });

    it('stays one conditional Put when a write has no entries', async () => {
      dynamodb.on(PutCommand).resolves({});

      await installations.create(anInstallation(), []);

      expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
      expect(dynamodb.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
        TableName: 'plugins-table',
        ConditionExpression: 'attribute_not_exists(PK)',
      });
    });
  });

  it('writes a tenant policy version with its record; a stale version is CONCURRENT_MODIFICATION', async () => {
    const entries = outboxOf('policy:update', 'unused').slice(0, 1);

    const stored = await policies.put(acme, DEFAULT_TENANT_POLICY, 2, 'admin-1', new Date(), entries);
    const [change, ...outbox] = soleTransaction();
    dynamodb.reset();
    dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    expect(stored.version).toBe(3);
    expect(change?.Put).toMatchObject({
      TableName: 'plugins-table',
      Item: { PK: 'TENANT#t-acme', SK: 'POLICY', version: 3 },
      ConditionExpression: 'version = :expected',
    });
    expect(outbox).toEqual(outboxPutsOf(entries));
    await expect(
      policies.put(acme, DEFAULT_TENANT_POLICY, 2, 'admin-1', new Date(), entries),
    ).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
  });

  describe('marketplace', () => {
    const record = () => outboxOf('marketplace:yank', 'unused').slice(0, 1);
    const releaseItem = (status: string) => ({
      PK: 'PLUGIN#p1',
      SK: 'VERSION#1.0.0',
      status,
      release: {
        pluginId: 'p1',
        version: '1.0.0',
        sha256: 'a'.repeat(64),
        sizeBytes: 10,
        publisherId: 'pub-acme',
        publisherKeyId: 'pk_1',
        metadata: {
          name: 'N',
          description: 'D',
          author: 'A',
          permissions: [],
          events: [],
          networkHosts: [],
          dependencies: [],
          limits: {},
          tags: [],
        },
        publishedAt: '2030-01-01T00:00:00.000Z',
      },
    });

    it('yanks a release with its record and answers the stored release', async () => {
      const entries = record();
      dynamodb
        .on(GetCommand)
        .resolves({ Item: { ...releaseItem('yanked'), yankedAt: '2030-01-02T00:00:00.000Z' } });

      const yanked = await catalogue.changeReleaseStatus(
        'p1',
        '1.0.0',
        { status: 'yanked', yankedAt: '2030-01-02T00:00:00.000Z' },
        entries,
      );

      const [change, ...outbox] = soleTransaction();
      expect(change?.Update).toMatchObject({
        TableName: 'marketplace-table',
        Key: { PK: 'PLUGIN#p1', SK: 'VERSION#1.0.0' },
      });
      expect(outbox).toEqual(outboxPutsOf(entries));
      expect(yanked).toMatchObject({ status: 'yanked', yankedAt: '2030-01-02T00:00:00.000Z' });
    });

    it('maps a yank the release’s state refuses to ILLEGAL_RELEASE_TRANSITION, and a missing one to VERSION_NOT_FOUND', async () => {
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      dynamodb
        .on(GetCommand)
        .resolvesOnce({ Item: releaseItem('revoked') })
        .resolves({});
      const yank = () =>
        catalogue.changeReleaseStatus(
          'p1',
          '1.0.0',
          { status: 'yanked', yankedAt: '2030-01-02T00:00:00.000Z' },
          record(),
        );

      await expect(yank()).rejects.toMatchObject({ code: 'ILLEGAL_RELEASE_TRANSITION' });
      await expect(yank()).rejects.toMatchObject({ code: 'VERSION_NOT_FOUND' });
      expect(singleWrites()).toHaveLength(0);
    });

    it('deprecates and lists with their record; a missing entry is PLUGIN_NOT_FOUND', async () => {
      const entries = record();

      await catalogue.deprecate('p1', { message: 'use p2', at: '2030-01-02T00:00:00.000Z' }, entries);
      const [change, ...outbox] = soleTransaction();
      dynamodb.reset();
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      const listing = {
        name: 'N',
        description: 'D',
        author: 'A',
        tags: [],
        latestVersion: '1.0.0',
        updatedAt: '2030-01-02T00:00:00.000Z',
      };

      expect(change?.Update).toMatchObject({
        TableName: 'marketplace-table',
        Key: { PK: 'PLUGIN#p1', SK: 'ENTRY' },
        ConditionExpression: 'attribute_exists(PK)',
      });
      expect(outbox).toEqual(outboxPutsOf(entries));
      await expect(catalogue.saveListing('p1', listing, entries)).rejects.toMatchObject({
        code: 'PLUGIN_NOT_FOUND',
      });
    });

    it('counts a marketplace install’s download with its installer record and its audit record, stamped for the change feed', async () => {
      const entries = record();

      await catalogue.incrementDownloads(
        'p1',
        { tenantId: 't-acme', version: '1.2.0', at: '2030-01-01T00:00:00.000Z' },
        entries,
      );

      const [change, installer, ...outbox] = soleTransaction();
      expect(change?.Update).toMatchObject({
        Key: { PK: 'PLUGIN#p1', SK: 'ENTRY' },
        UpdateExpression:
          'SET changedAt = :changedAt, GSI2PK = :changeFeed, GSI2SK = :changeKey ADD downloads :one',
        ExpressionAttributeValues: {
          ':one': 1,
          ':changeFeed': 'CATALOGUE_CHANGES',
          ':changeKey': expect.stringMatching(/^\d{15}#p1$/),
        },
      });
      expect(installer?.Update).toMatchObject({
        Key: { PK: 'PLUGIN#p1', SK: 'INSTALLER#t-acme' },
        ExpressionAttributeValues: { ':tenantId': 't-acme', ':version': '1.2.0' },
      });
      expect(installer?.Update?.UpdateExpression).toContain(
        'firstVersion = if_not_exists(firstVersion, :version)',
      );
      expect(outbox).toEqual(outboxPutsOf(entries));
    });

    it('registers a new key with its record; one taken meanwhile answers the stored key', async () => {
      const entries = record();
      const key = {
        keyId: 'pk_1',
        publisherId: 'pub-acme',
        publicKeyPem: 'PEM',
        createdAt: '2030-01-01T00:00:00.000Z',
      };
      dynamodb.on(GetCommand).resolves({});

      expect(await keys.register(key, entries)).toEqual({ key, isNew: true });
      const [change, ...outbox] = soleTransaction();
      dynamodb.reset();
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
      const taken = { ...key, publisherId: 'pub-evil' };
      dynamodb
        .on(GetCommand)
        .resolvesOnce({})
        .resolves({ Item: { PK: 'PUBLISHER_KEY#pk_1', SK: 'KEY', ...taken } });

      expect(change?.Put).toMatchObject({
        TableName: 'marketplace-table',
        ConditionExpression: 'attribute_not_exists(PK)',
      });
      expect(outbox).toEqual(outboxPutsOf(entries));
      expect(await keys.register(key, entries)).toEqual({ key: taken, isNew: false });
    });

    it('revokes a key with its record and reads it back; another publisher’s key matches nothing', async () => {
      const entries = record();
      const key = {
        keyId: 'pk_1',
        publisherId: 'pub-acme',
        publicKeyPem: 'PEM',
        createdAt: '2030-01-01T00:00:00.000Z',
      };
      const revokedAt = '2030-01-02T00:00:00.000Z';
      dynamodb.on(GetCommand).resolves({ Item: { PK: 'PUBLISHER_KEY#pk_1', SK: 'KEY', ...key, revokedAt } });

      expect(await keys.revoke('pk_1', { revokedAt, publisherId: 'pub-acme' }, entries)).toEqual({
        ...key,
        revokedAt,
      });
      const [change, ...outbox] = soleTransaction();
      dynamodb.reset();
      dynamodb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

      expect(change?.Update?.ConditionExpression).toBe('attribute_exists(PK) AND publisherId = :publisherId');
      expect(outbox).toEqual(outboxPutsOf(entries));
      expect(await keys.revoke('pk_1', { revokedAt, publisherId: 'pub-evil' }, entries)).toBeUndefined();
    });
  });
});

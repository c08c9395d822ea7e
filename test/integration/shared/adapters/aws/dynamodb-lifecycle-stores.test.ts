import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbIdempotencyStore } from '../../../../../shared/adapters/aws/dynamodb-idempotency-store.ts';
import { DynamoDbInstallationRepository } from '../../../../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { DynamoDbTenantPolicyRepository } from '../../../../../shared/adapters/aws/dynamodb-tenant-policy-repository.ts';
import { PluginIdSchema, TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { anInstallation } from '../../../../support/installation-factory.ts';

const acme = TenantIdSchema.parse('t-acme');
const pluginId = PluginIdSchema.parse('concurrency');

const installation = (tenantId: string, pluginId: string) => anInstallation({ tenantId, pluginId });

describe('lifecycle stores against DynamoDB Local', () => {
  let installations: DynamoDbInstallationRepository;
  let policies: DynamoDbTenantPolicyRepository;
  let idempotency: DynamoDbIdempotencyStore;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    installations = new DynamoDbInstallationRepository(documentClient, names.plugins, names.audit);
    policies = new DynamoDbTenantPolicyRepository(documentClient, names.plugins, names.audit);
    idempotency = new DynamoDbIdempotencyStore(documentClient, names.plugins);
  });

  it('refuses a second install of the same plugin in a tenant', async () => {
    await installations.create(installation(acme, 'twice'), []);

    await expect(installations.create(installation(acme, 'twice'), [])).rejects.toMatchObject({
      code: 'ALREADY_INSTALLED',
    });
  });

  it('lets exactly one of many concurrent writers at the same revision win', async () => {
    const base = installation(acme, pluginId);
    await installations.create(base, []);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, index) =>
        installations.update({ ...base, state: index % 2 ? 'enabled' : 'disabled', revision: 1 }, []),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(
      outcomes
        .filter((outcome) => outcome.status === 'rejected')
        .map((o) => (o as PromiseRejectedResult).reason.code),
    ).toEqual(Array(7).fill('CONCURRENT_MODIFICATION'));
    expect((await installations.get(acme, pluginId))?.revision).toBe(1);
  });

  it('finds a plugin’s installations across tenants through the plugin index', async () => {
    await installations.create(installation('t-one', 'shared-plugin'), []);
    await installations.create(installation('t-two', 'shared-plugin'), []);

    const found = await installations.listByPlugin(PluginIdSchema.parse('shared-plugin'));

    expect(found.map((item) => item.tenantId).sort()).toEqual(['t-one', 't-two']);
  });

  it('starts a tenant from the default policy and versions every write', async () => {
    const initial = await policies.get(TenantIdSchema.parse('t-new'));
    const written = await policies.put(
      TenantIdSchema.parse('t-new'),
      { ...DEFAULT_TENANT_POLICY, uninstallStorage: 'keep' },
      0,
      'u',
      new Date(),
      [],
    );

    expect(initial).toEqual({ policy: DEFAULT_TENANT_POLICY, version: 0 });
    expect(written.version).toBe(1);
    await expect(
      policies.put(TenantIdSchema.parse('t-new'), DEFAULT_TENANT_POLICY, 0, 'u', new Date(), []),
    ).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
  });

  it('claims an idempotency key once, replays its response and spots another body', async () => {
    const now = new Date();

    const first = await idempotency.claim('t-acme', 'install', 'key-00000001', 'hash-a', now);
    const concurrent = await idempotency.claim('t-acme', 'install', 'key-00000001', 'hash-a', now);
    await idempotency.complete('t-acme', 'install', 'key-00000001', { status: 201, body: { ok: 1 } }, now);
    const replay = await idempotency.claim('t-acme', 'install', 'key-00000001', 'hash-a', now);
    const mismatch = await idempotency.claim('t-acme', 'install', 'key-00000001', 'hash-b', now);

    expect(first).toEqual({ kind: 'claimed' });
    expect(concurrent).toEqual({ kind: 'in-progress' });
    expect(replay).toEqual({ kind: 'replay', response: { status: 201, body: { ok: 1 } } });
    expect(mismatch).toEqual({ kind: 'mismatch' });
  });
});

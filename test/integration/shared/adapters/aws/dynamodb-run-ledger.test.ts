import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbOutbox } from '../../../../../shared/adapters/aws/audit-table-items.ts';
import { DynamoDbInstallationRepository } from '../../../../../shared/adapters/aws/dynamodb-installation-repository.ts';
import { DynamoDbRunLeaseStore } from '../../../../../shared/adapters/aws/dynamodb-run-lease-store.ts';
import { DynamoDbRunLedger } from '../../../../../shared/adapters/aws/dynamodb-run-ledger.ts';
import { DynamoDbTenantPolicyRepository } from '../../../../../shared/adapters/aws/dynamodb-tenant-policy-repository.ts';
import { DynamoDbUsageCounters } from '../../../../../shared/adapters/aws/dynamodb-usage-counters.ts';
import { DynamoDbUsageRepository } from '../../../../../shared/adapters/aws/dynamodb-usage-repository.ts';
import { PluginIdSchema, TenantIdSchema } from '../../../../../shared/domain/identifiers.ts';
import type { PlatformEvent } from '../../../../../shared/domain/platform-events.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../../shared/domain/tenant-policy.ts';
import type { Clock } from '../../../../../shared/ports/clock.ts';
import type { InvocationRecord } from '../../../../../shared/ports/usage-repository.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';
import { anInstallation } from '../../../../support/installation-factory.ts';

const acme = TenantIdSchema.parse('t-acme');
const reader = PluginIdSchema.parse('reader');
const clock: Clock = { now: () => new Date(Date.UTC(2030, 0, 1, 12)) };

const usageOf = (touchedPatientIds: string[]): InvocationRecord => ({
  tenantId: acme,
  pluginId: reader,
  version: '1.0.0',
  at: clock.now().toISOString(),
  ok: true,
  usage: { wallMs: 5, cpuMs: 1, peakHeapBytes: 100, dataCalls: 1, networkCalls: 0, storageBytes: 0 },
  touchedPatientIds,
});

describe('DynamoDbRunLedger against DynamoDB Local', () => {
  let tables: Awaited<ReturnType<typeof createTestTables>>;
  let ledger: DynamoDbRunLedger;
  let leases: DynamoDbRunLeaseStore;
  let usage: DynamoDbUsageRepository;
  let counters: DynamoDbUsageCounters;

  beforeAll(async () => {
    tables = await createTestTables();
    const options = { client: tables.documentClient, tableName: tables.names.plugins };
    leases = new DynamoDbRunLeaseStore({ ...options, clock });
    usage = new DynamoDbUsageRepository(options);
    counters = new DynamoDbUsageCounters({ ...options, clock });
    ledger = new DynamoDbRunLedger({
      ...options,
      auditTableName: tables.names.audit,
      outbox: new DynamoDbOutbox(tables.documentClient, tables.names.audit),
      usage,
      leases,
      counters,
      clock,
    });
    await new DynamoDbInstallationRepository(
      tables.documentClient,
      tables.names.plugins,
      tables.names.audit,
    ).create(anInstallation({ tenantId: acme, pluginId: reader }), []);
    await new DynamoDbTenantPolicyRepository(
      tables.documentClient,
      tables.names.plugins,
      tables.names.audit,
    ).put(acme, { ...DEFAULT_TENANT_POLICY, maxConcurrentRuns: 2 }, 0, 'admin-1', clock.now(), []);
  });

  const request = { tenantId: acme, capacity: 2, leaseMs: 15_000, expectedRunMs: 5_000, holder: 'req' };

  it('reads the installation, the policy and the live run slots in one batch', async () => {
    const held = await leases.acquire(request);

    const context = await ledger.readContext(acme, reader);

    expect(context.installation).toMatchObject({ tenantId: 't-acme', pluginId: 'reader' });
    expect(context.policy.maxConcurrentRuns).toBe(2);
    expect(context.slots).toEqual([
      expect.objectContaining({ slot: held.status === 'acquired' ? held.lease.slot : -1 }),
    ]);
    if (held.status === 'acquired') await leases.release(held.lease);
  });

  it('answers no installation and the default policy for a tenant with neither', async () => {
    const context = await ledger.readContext(TenantIdSchema.parse('t-empty'), reader);

    expect(context).toEqual({ installation: undefined, policy: DEFAULT_TENANT_POLICY, slots: [] });
  });

  it('claims from the slots it read, and the claim still holds against the cap', async () => {
    const first = await leases.acquire(request, (await ledger.readContext(acme, reader)).slots);
    const second = await leases.acquire(request, (await ledger.readContext(acme, reader)).slots);
    // A stale read (taken before both claims) must not let a third run past the cap.
    const third = await leases.acquire(request, []);

    expect([first.status, second.status, third.status]).toEqual(['acquired', 'acquired', 'full']);
    for (const claim of [first, second]) if (claim.status === 'acquired') await leases.release(claim.lease);
  });

  it('writes the usage and releases the lease in one transaction', async () => {
    const claim = await leases.acquire(request);
    if (claim.status !== 'acquired') throw new Error('expected a lease');

    await ledger.settle({ usage: usageOf(['p-1', 'p-2']), lease: claim.lease, refunds: [], outbox: [] });

    const summary = await usage.summarize(acme, reader);
    expect(summary.invocations).toBe(1);
    expect(await usage.blastRadius(reader, '1.0.0')).toEqual([
      { tenantId: 't-acme', invocations: 1, patientIds: ['p-1', 'p-2'] },
    ]);
    expect((await ledger.readContext(acme, reader)).slots).toEqual([]);
  });

  it('still records the usage when the lease was taken over meanwhile, and leaves the new holder alone', async () => {
    const claim = await leases.acquire(request);
    if (claim.status !== 'acquired') throw new Error('expected a lease');
    const stale = { ...claim.lease, token: 'someone-else' };

    await ledger.settle({ usage: usageOf([]), lease: stale, refunds: [], outbox: [] });

    expect((await usage.summarize(acme, reader)).invocations).toBe(2);
    const slot = await tables.documentClient.send(
      new GetCommand({
        TableName: tables.names.plugins,
        Key: { PK: 'TENANT#t-acme', SK: `RUNSLOT#${String(claim.lease.slot).padStart(3, '0')}` },
      }),
    );
    expect(slot.Item?.leaseToken).toBe(claim.lease.token);
    await leases.release(claim.lease);
  });

  it('gives unused CPU back to the buckets it was charged to in the same transaction', async () => {
    const claim = await leases.acquire(request);
    if (claim.status !== 'acquired') throw new Error('expected a lease');
    const key = 't-acme/reader/cpuMs';
    const first = await counters.consume(key, 60, 1_000, 60_000);
    const second = await counters.consume(key, 40, 1_000, 60_000);

    await ledger.settle({
      usage: usageOf([]),
      lease: claim.lease,
      refunds: [
        { key, amount: 55, windowMs: 60_000, at: first.at ?? 0 },
        { key, amount: 35, windowMs: 60_000, at: second.at ?? 0 },
      ],
      outbox: [],
    });

    expect(await counters.consume(key, 0, 1_000, 60_000)).toEqual({ allowed: true, observed: 10 });
    expect((await ledger.readContext(acme, reader)).slots).toEqual([]);
  });

  it('reads the plugin’s counter buckets with the context, so its next charge is one update', async () => {
    const other = new DynamoDbUsageCounters({
      client: tables.documentClient,
      tableName: tables.names.plugins,
      clock: { now: () => new Date(clock.now().getTime() - 20_000) },
    });
    await other.consume('t-acme/reader/databaseQueries', 4, 5, 60_000);

    await ledger.readContext(acme, reader);
    const send = vi.spyOn(tables.documentClient, 'send');
    const charged = await counters.consume('t-acme/reader/databaseQueries', 1, 5, 60_000);
    const denied = await counters.consume('t-acme/reader/databaseQueries', 1, 5, 60_000);
    const commands = send.mock.calls.map(([command]) => command.constructor.name);
    send.mockRestore();

    expect(charged).toMatchObject({ allowed: true, observed: 5 });
    expect(denied).toMatchObject({ allowed: false });
    expect(commands[0]).toBe(UpdateCommand.name);
    expect(commands.slice(0, 1)).not.toContain(QueryCommand.name);
  });

  it("commits a run's usage and its audit record in one transaction, and rejects when the record cannot be written", async () => {
    const globex = TenantIdSchema.parse('t-globex');
    const ownRequest = { ...request, tenantId: globex };
    const claim = await leases.acquire(ownRequest);
    if (claim.status !== 'acquired') throw new Error('expected a lease');
    const record = auditEntry('run-commit-1');
    const usageOfGlobex = (ids: string[]) => ({ ...usageOf(ids), tenantId: globex });

    await ledger.settle({ usage: usageOfGlobex(['p-3']), lease: claim.lease, refunds: [], outbox: [record] });

    expect((await usage.summarize(globex, reader)).invocations).toBe(1);
    const stored = await tables.documentClient.send(
      new GetCommand({
        TableName: tables.names.audit,
        Key: { PK: 'TENANT#t-globex', SK: `EVT#${record.time}#${record.id}` },
      }),
    );
    expect(stored.Item).toMatchObject({ kind: 'audit', action: 'plugin:invoked', outcome: 'success' });
    expect(JSON.parse(String(stored.Item?.body))).toEqual(record);

    // The same entry again (its key is taken) cancels the transaction, and the fallback's own
    // append is refused too: the settlement rejects, so the run answers AUDIT_UNAVAILABLE.
    const again = await leases.acquire(ownRequest);
    if (again.status !== 'acquired') throw new Error('expected a lease');
    await expect(
      ledger.settle({ usage: usageOfGlobex([]), lease: again.lease, refunds: [], outbox: [record] }),
    ).rejects.toThrow();
  });
});

function auditEntry(id: string): PlatformEvent {
  return {
    id,
    name: 'audit:plugin:invoked',
    time: clock.now().toISOString(),
    tenantId: 't-globex',
    detail: {
      action: 'plugin:invoked',
      outcome: 'success',
      actor: 't-globex/user-1',
      tenantId: 't-globex',
      pluginId: 'reader',
      resourceIds: ['p-3'],
      dataAccess: [{ operation: 'patients.get', outcome: 'success', count: 1, patientIds: ['p-3'] }],
    },
  };
}

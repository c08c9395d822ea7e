import { describe, expect, it } from 'vitest';
import { isPrivateAdvisory } from '../../../../../shared/services/scanning/private-advisories.ts';
import { putAdvisory } from '../../../../../shared/services/scanning/put-advisory.ts';
import {
  InMemoryAdvisoryDatabaseStore,
  osvRecord,
} from '../../../../support/fakes/in-memory-advisory-database.ts';
import { InMemoryOutbox } from '../../../../support/fakes/in-memory-outbox.ts';

const ADMIN = { actorId: 'platform-ops/admin-1', tenantId: 'platform-ops', requestId: 'req-1' };

function setUp() {
  const store = new InMemoryAdvisoryDatabaseStore();
  const outbox = new InMemoryOutbox();
  let changes = 0;
  let counter = 0;
  const deps = {
    advisoryStore: store,
    shippedAdvisories: async () => [osvRecord('SHIPPED-1', 'left-pad')],
    onAdvisoriesChanged: () => {
      changes += 1;
    },
    outbox,
    clock: { now: () => new Date('2030-01-01T00:00:00Z') },
    ids: { next: () => `id-${++counter}` },
  };
  return { store, outbox, deps, changes: () => changes };
}

describe('putAdvisory', () => {
  it('adds a private advisory to the shipped set when nothing is stored yet, audited', async () => {
    const { store, outbox, deps, changes } = setUp();

    const result = await putAdvisory('LOCAL-1', osvRecord('LOCAL-1', 'left-pad'), ADMIN, deps);

    expect(result).toMatchObject({ advisoryId: 'LOCAL-1', isNew: true });
    expect(store.stored?.version).toBe(result.databaseVersion);
    expect(store.stored?.records.map((record) => record.id)).toEqual(['SHIPPED-1', 'LOCAL-1']);
    expect(isPrivateAdvisory(store.stored?.records[1] as never)).toBe(true);
    expect(changes()).toBe(1);
    expect(outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'marketplace:advisory-put',
        outcome: 'success',
        actor: ADMIN.actorId,
      }),
    );
  });

  it('replaces an advisory with the same id and changes the version', async () => {
    const { store, deps } = setUp();
    const first = await putAdvisory(
      'LOCAL-1',
      osvRecord('LOCAL-1', 'left-pad', { severity: 'LOW' }),
      ADMIN,
      deps,
    );

    const second = await putAdvisory('LOCAL-1', osvRecord('LOCAL-1', 'left-pad'), ADMIN, deps);

    expect(second.isNew).toBe(false);
    expect(second.databaseVersion).not.toBe(first.databaseVersion);
    expect(store.stored?.records.filter((record) => record.id === 'LOCAL-1')).toHaveLength(1);
  });

  it('refuses a record whose id is not the path id, and records the refusal', async () => {
    const { store, outbox, deps } = setUp();

    const attempt = putAdvisory('LOCAL-2', osvRecord('LOCAL-1', 'left-pad'), ADMIN, deps);

    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect(store.writes).toBe(0);
    expect(outbox.records).toContainEqual(
      expect.objectContaining({ outcome: 'refused', code: 'VALIDATION_FAILED' }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { AdvisoryRecordIndex } from '../../../../../shared/domain/advisory-record-index.ts';
import { RefreshingAdvisoryDatabase } from '../../../../../shared/services/scanning/refreshing-advisory-database.ts';
import {
  InMemoryAdvisoryDatabaseStore,
  osvRecord,
} from '../../../../support/fakes/in-memory-advisory-database.ts';

function setUp() {
  let now = new Date('2030-01-01T00:00:00Z').getTime();
  const store = new InMemoryAdvisoryDatabaseStore();
  const errors: unknown[] = [];
  const database = new RefreshingAdvisoryDatabase({
    store,
    fallback: new AdvisoryRecordIndex([osvRecord('SHIPPED-1', 'left-pad')], 'shipped'),
    clock: { now: () => new Date(now) },
    maxAgeMs: 60_000,
    onReadError: (error) => errors.push(error),
  });
  return { store, database, errors, advance: (ms: number) => (now += ms) };
}

describe('RefreshingAdvisoryDatabase', () => {
  it('serves the shipped fallback while nothing is stored', async () => {
    const { database } = setUp();

    expect(await database.version()).toBe('shipped');
    expect((await database.advisoriesFor('left-pad')).map((record) => record.id)).toEqual(['SHIPPED-1']);
  });

  it('serves the stored copy, re-reading the store only after its maximum age', async () => {
    const { store, database, advance } = setUp();
    store.stored = { version: 'v2', records: [osvRecord('GHSA-0001', 'lodash')] };
    expect(await database.version()).toBe('v2');
    store.stored = { version: 'v3', records: [] };

    const beforeMaxAge = await database.version();
    advance(60_000);
    const afterMaxAge = await database.version();

    expect([beforeMaxAge, afterMaxAge]).toEqual(['v2', 'v3']);
    expect(store.reads).toBe(2);
  });

  it('keeps the last good copy when the store cannot be read', async () => {
    const { store, database, errors, advance } = setUp();
    store.stored = { version: 'v2', records: [osvRecord('GHSA-0001', 'lodash')] };
    await database.version();
    store.failReads = true;
    advance(60_000);

    expect(await database.version()).toBe('v2');
    expect((await database.advisoriesFor('lodash')).map((record) => record.id)).toEqual(['GHSA-0001']);
    expect(errors).toHaveLength(1);
  });

  it('serves the shipped fallback when the store fails at a cold start', async () => {
    const { store, database } = setUp();
    store.failReads = true;

    expect(await database.version()).toBe('shipped');
  });

  it('reads the store again at once after invalidate', async () => {
    const { store, database } = setUp();
    await database.version();
    store.stored = { version: 'v2', records: [] };

    database.invalidate();

    expect(await database.version()).toBe('v2');
  });
});

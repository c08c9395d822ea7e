import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPluginStorage } from '../../../../../shared/adapters/aws/dynamodb-plugin-storage.ts';
import { HostError } from '../../../../../shared/sandbox/errors.ts';
import { createTestTables } from '../../../../support/dynamodb-tables.ts';

const entryBytes = (key: string, value: unknown) =>
  Buffer.byteLength(key) + Buffer.byteLength(JSON.stringify(value));

describe('DynamoDbPluginStorage against DynamoDB Local', () => {
  let store: DynamoDbPluginStorage;

  beforeAll(async () => {
    const { names, documentClient } = await createTestTables();
    store = new DynamoDbPluginStorage({ client: documentClient, tableName: names.plugins });
  });

  it('stores, reads, lists by prefix and deletes JSON values', async () => {
    const storage = store.forPlugin('t-acme', 'basics', 10_000);

    await storage.set('reminder:1', { at: '2030-01-01T09:00:00Z', count: 1.5, tags: ['a'] });
    await storage.set('reminder:2', null);
    await storage.set('other', 'x');
    await storage.delete('reminder:2');

    expect(await storage.get('reminder:1')).toEqual({ at: '2030-01-01T09:00:00Z', count: 1.5, tags: ['a'] });
    expect(await storage.get('reminder:2')).toBeUndefined();
    expect(await storage.list('reminder:')).toEqual(['reminder:1']);
    expect(await storage.bytesUsed?.()).toBe(
      entryBytes('reminder:1', { at: '2030-01-01T09:00:00Z', count: 1.5, tags: ['a'] }) +
        entryBytes('other', 'x'),
    );
  });

  it('never lets concurrent writers on several instances exceed the quota', async () => {
    // Each entry is exactly 100 bytes (6 of key, 94 of JSON), so exactly 10 fit.
    const value = 'v'.repeat(92);
    const quota = 1_000;
    const writers = [0, 1, 2].map(() => store.forPlugin('t-acme', 'concurrent', quota));

    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, index) =>
        writers[index % 3]?.set(`key-${String(index).padStart(2, '0')}`, value),
      ),
    );

    const stored = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const refused = outcomes.filter(
      (outcome) => outcome.status === 'rejected' && (outcome.reason as HostError).code === 'QuotaExceeded',
    ).length;
    expect(stored + refused).toBe(30);
    expect(stored).toBe(10);
    expect(await writers[0]?.bytesUsed?.()).toBe(stored * entryBytes('key-00', value));
    expect(await writers[0]?.list(undefined)).toHaveLength(stored);
  });

  it('keeps the counter exact when the same key is overwritten concurrently', async () => {
    const storage = store.forPlugin('t-acme', 'same-key', 100_000);

    await Promise.allSettled(
      Array.from({ length: 12 }, (_, index) => storage.set('k', 'x'.repeat(index * 10))),
    );

    const final = await storage.get('k');
    expect(await storage.bytesUsed?.()).toBe(entryBytes('k', final));
  });

  it('lets a plugin over its (lowered) quota free space by deleting or shrinking', async () => {
    const generous = store.forPlugin('t-acme', 'shrink', 1_000);
    await generous.set('big', 'b'.repeat(500));
    const strict = store.forPlugin('t-acme', 'shrink', 100);

    await expect(strict.set('more', 'm')).rejects.toMatchObject({ code: 'QuotaExceeded' });
    await strict.set('big', 'b');
    await strict.set('more', 'm');

    expect(await strict.bytesUsed?.()).toBe(entryBytes('big', 'b') + entryBytes('more', 'm'));
  });

  it('refuses a single value too large for one item', async () => {
    const storage = store.forPlugin('t-acme', 'huge', 10_000_000);

    await expect(storage.set('huge', 'h'.repeat(400_000))).rejects.toBeInstanceOf(HostError);
    expect(await storage.bytesUsed?.()).toBe(0);
  });

  it('scopes entries to the tenant and plugin, and deleteAll removes only that plugin in that tenant', async () => {
    const acme = store.forPlugin('t-acme', 'scoped', 10_000);
    const acmeOther = store.forPlugin('t-acme', 'scoped-other', 10_000);
    const globex = store.forPlugin('t-globex', 'scoped', 10_000);
    await acme.set('secret', 'acme');
    await acmeOther.set('secret', 'acme-other');
    await globex.set('secret', 'globex');

    await store.deleteAll('t-acme', 'scoped');

    expect(await acme.get('secret')).toBeUndefined();
    expect(await acme.bytesUsed?.()).toBe(0);
    expect(await acmeOther.get('secret')).toBe('acme-other');
    expect(await globex.get('secret')).toBe('globex');
  });

  it('stores with setWithinQuota only within the quota it is given, and answers the change in bytes', async () => {
    const storage = store.forPlugin('t-acme', 'within-quota', 100_000);

    const first = await storage.setWithinQuota?.('a', 'x'.repeat(50), 200);
    const grown = await storage.setWithinQuota?.('a', 'x'.repeat(150), 200);
    const refused = await storage.setWithinQuota?.('b', 'y'.repeat(60), 200);
    const shrunk = await storage.setWithinQuota?.('a', 'x', 200);

    expect(first).toEqual({ isStored: true, deltaBytes: entryBytes('a', 'x'.repeat(50)) });
    expect(grown).toEqual({ isStored: true, deltaBytes: 100 });
    expect(refused).toEqual({
      isStored: false,
      deltaBytes: entryBytes('b', 'y'.repeat(60)),
      bytesUsed: entryBytes('a', 'x'.repeat(150)),
    });
    expect(shrunk).toEqual({
      isStored: true,
      deltaBytes: entryBytes('a', 'x') - entryBytes('a', 'x'.repeat(150)),
    });
    expect(await storage.bytesUsed?.()).toBe(entryBytes('a', 'x'));
  });

  it('lets only what fits through when concurrent runs each write just under the quota', async () => {
    const quota = 1_000;
    const writers = [0, 1, 2, 3].map(() => store.forPlugin('t-acme', 'just-under', 100_000));

    const outcomes = await Promise.all(
      writers.map((writer, index) => writer.setWithinQuota?.(`entry-${index}`, 'x'.repeat(900), quota)),
    );

    expect(outcomes.filter((outcome) => outcome?.isStored)).toHaveLength(1);
    for (const outcome of outcomes.filter((candidate) => !candidate?.isStored)) {
      expect(outcome).toEqual({
        isStored: false,
        deltaBytes: entryBytes('entry-0', 'x'.repeat(900)),
        bytesUsed: 909,
      });
    }
    expect(await writers[0]?.bytesUsed?.()).toBe(entryBytes('entry-0', 'x'.repeat(900)));
    expect(await writers[0]?.list(undefined)).toHaveLength(1);
  });

  it('leaves the entry and the counter as they were when a write is refused', async () => {
    const storage = store.forPlugin('t-acme', 'refused-growth', 100_000);
    await storage.set('k', 'small');

    const refused = await storage.setWithinQuota?.('k', 'z'.repeat(500), 100);

    expect(refused?.isStored).toBe(false);
    expect(await storage.get('k')).toBe('small');
    expect(await storage.bytesUsed?.()).toBe(entryBytes('k', 'small'));
  });
});

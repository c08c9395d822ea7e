import { describe, expect, it } from 'vitest';
import { OsvAdvisoryDatabase } from '../../../../shared/adapters/osv-advisory-database.ts';
import shippedRecords from '../../../../shared/data/osv-npm-advisories.json' with { type: 'json' };

const record = (id: string, name: string, modified = '2026-01-01T00:00:00Z') => ({
  id,
  modified,
  affected: [
    { package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] },
  ],
});

describe('OsvAdvisoryDatabase', () => {
  it('ships a snapshot of more than a hundred valid npm records, indexed by package', async () => {
    const database = OsvAdvisoryDatabase.shipped();

    const jquery = await database.advisoriesFor('jquery');
    const lodash = await database.advisoriesFor('lodash');

    expect(shippedRecords.length).toBeGreaterThan(100);
    expect(jquery.map((advisory) => advisory.id)).toContain('GHSA-579v-mp3v-rrw5');
    expect(lodash.map((advisory) => advisory.id)).toContain('GHSA-p6mc-m468-83gw');
    expect(await database.advisoriesFor('no-such-package')).toEqual([]);
  });

  it('names its record set by a digest that changes when any record changes', async () => {
    const one = OsvAdvisoryDatabase.fromRecords([record('GHSA-a', 'a'), record('GHSA-b', 'b')]);
    const reordered = OsvAdvisoryDatabase.fromRecords([record('GHSA-b', 'b'), record('GHSA-a', 'a')]);
    const modified = OsvAdvisoryDatabase.fromRecords([
      record('GHSA-a', 'a'),
      record('GHSA-b', 'b', '2026-02-01T00:00:00Z'),
    ]);

    expect(await one.version()).toBe(await reordered.version());
    expect(await one.version()).not.toBe(await modified.version());
    expect(await OsvAdvisoryDatabase.fromRecords([], 'v7').version()).toBe('v7');
  });

  it('refuses a malformed record instead of skipping it', () => {
    expect(() => OsvAdvisoryDatabase.fromRecords([{ id: 'GHSA-x', affected: [] }])).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_REFUSAL_KINDS, RefusalTally } from '../../../../shared/sandbox/refusal-tally.ts';

const identity = { tenantId: 't-1', pluginId: 'p-1', version: '1.0.0' };

describe('RefusalTally', () => {
  it('reports one entry per kind with the count and the first and last time', () => {
    let now = Date.UTC(2030, 0, 1);
    const tally = new RefusalTally(() => now);

    for (let attempt = 0; attempt < 1_000; attempt++) {
      tally.security({ type: 'permission-denied', operation: 'patients.get', permission: 'read:patients' });
      now += 1;
    }
    tally.resource({ resource: 'events', limit: 100, observed: 101 });
    tally.resource({ resource: 'events', limit: 100, observed: 150 });

    expect(tally.securityEvents(identity)).toEqual([
      {
        ...identity,
        type: 'permission-denied',
        operation: 'patients.get',
        permission: 'read:patients',
        count: 1_000,
        firstAt: '2030-01-01T00:00:00.000Z',
        lastAt: '2030-01-01T00:00:00.999Z',
      },
    ]);
    expect(tally.resourceEvents(identity)).toEqual([
      expect.objectContaining({ resource: 'events', observed: 150, count: 2 }),
    ]);
  });

  it('folds kinds beyond the bound into one overflow entry', () => {
    const tally = new RefusalTally();

    for (let host = 0; host < 200; host++) {
      tally.security({
        type: 'permission-denied',
        operation: 'http.fetch',
        permission: `network:h${host}.example.com`,
      });
    }

    const events = tally.securityEvents(identity);
    expect(events).toHaveLength(MAX_REFUSAL_KINDS + 1);
    expect(events.at(-1)).toMatchObject({ operation: '*', count: 200 - MAX_REFUSAL_KINDS });
    expect(events.at(-1)).not.toHaveProperty('permission');
  });
});

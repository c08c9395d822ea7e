import { describe, expect, it } from 'vitest';
import { UnsettledCharges } from '../../../../shared/sandbox/unsettled-charges.ts';
import { flakyCounters } from '../../../support/sandbox/flaky-counters.ts';

const charge = (amount: number) => ({ key: 't/p/cpuMs', amount, windowMs: 60_000 });

describe('UnsettledCharges', () => {
  it('merges charges per counter and writes them once the store answers', async () => {
    const { counters, down, total } = flakyCounters();
    const unsettled = new UnsettledCharges();
    unsettled.add('t/p', charge(4));
    unsettled.add('t/p', charge(6));
    down.add('consume');

    const whileDown = await unsettled.retry('t/p', counters);
    down.clear();
    const afterwards = await unsettled.retry('t/p', counters);

    expect(whileDown).toMatchObject({ charge: charge(10), error: { name: 'CounterStoreDownError' } });
    expect(afterwards).toBeUndefined();
    expect(unsettled.has('t/p')).toBe(false);
    expect(total('t/p/cpuMs')).toBe(10);
  });

  it('shares one retry between runs that start together, so a charge is written once', async () => {
    const { counters, total } = flakyCounters();
    const unsettled = new UnsettledCharges();
    unsettled.add('t/p', charge(7));

    await Promise.all([unsettled.retry('t/p', counters), unsettled.retry('t/p', counters)]);

    expect(total('t/p/cpuMs')).toBe(7);
  });

  it('keeps other identities apart', () => {
    const unsettled = new UnsettledCharges();

    unsettled.add('t/p', charge(0));

    expect(unsettled.has('t/p')).toBe(true);
    expect(unsettled.has('t/q')).toBe(false);
  });
});

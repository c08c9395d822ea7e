import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../../../../shared/domain/audit-chain/verify-chain.ts';
import { deliverOutbox } from '../../../../../shared/services/audit/deliver-outbox.ts';
import { outboxDeliveryHarness, outboxEntry } from '../../../../support/outbox-delivery-harness.ts';

const objectsOf = (chain: { objects: Map<string, string> }, tenantId: string) =>
  [...chain.objects]
    .filter(([key]) => key.startsWith(`audit-chain/${tenantId}/records/`))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([objectKey, text]) => ({ objectKey, text }));

describe('delivering the outbox', () => {
  it('publishes every entry, and chains each audit record in its tenant’s chain in stream order', async () => {
    const { deps, bus, chain } = outboxDeliveryHarness();
    const entries = [
      outboxEntry('e1'),
      outboxEntry('e2', { name: 'plugin:installed' }),
      outboxEntry('e3', { tenantId: 't-two' }),
      outboxEntry('e4'),
      outboxEntry('e5', { tenantId: undefined }),
    ];

    const delivery = await deliverOutbox(entries, deps);

    expect(delivery).toEqual({ firstUndelivered: undefined, failures: [] });
    expect(bus.published.map((event) => event.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(chain.records('t-one').map((record) => [record.seq, record.recordId])).toEqual([
      [1, 'e1'],
      [2, 'e4'],
    ]);
    expect(chain.records('t-two').map((record) => record.recordId)).toEqual(['e3']);
    // Records of no tenant are chained under the platform's own id.
    expect(chain.records('_platform').map((record) => record.recordId)).toEqual(['e5']);
    expect(verifyChain('t-one', objectsOf(chain, 't-one'), [], () => true)).toEqual({
      ok: true,
      records: 2,
      digests: 0,
    });
  });

  it('chains a redelivered record once: it gets its seq back and the object is written again the same', async () => {
    const { deps, chain, heads } = outboxDeliveryHarness();
    const entries = [outboxEntry('e1'), outboxEntry('e2')];
    await deliverOutbox(entries, deps);
    const before = new Map(chain.objects);

    await deliverOutbox(entries, deps);
    await deliverOutbox([entries[1] ?? outboxEntry('x'), outboxEntry('e3')], deps);

    expect(chain.records('t-one').map((record) => record.recordId)).toEqual(['e1', 'e2', 'e3']);
    for (const [key, text] of before) expect(chain.objects.get(key)).toBe(text);
    expect(heads.heads.get('t-one')?.seq).toBe(3);
  });

  it('answers the first entry it could not chain, and delivers the rest on the redelivery', async () => {
    const { deps, chain } = outboxDeliveryHarness();
    const entries = [outboxEntry('e1'), outboxEntry('e2'), outboxEntry('e3')];
    chain.failPuts = 0;
    await deliverOutbox(entries.slice(0, 1), deps);
    chain.failPuts = 1;

    const failed = await deliverOutbox(entries.slice(1), deps);
    expect(failed.firstUndelivered).toBe(0);
    expect(failed.failures).toEqual([expect.objectContaining({ stage: 'chain', index: 0 })]);

    // The link was taken before the object failed: the redelivery writes the same seq.
    const retried = await deliverOutbox(entries.slice(1), deps);
    expect(retried.firstUndelivered).toBeUndefined();
    expect(chain.records('t-one').map((record) => [record.seq, record.recordId])).toEqual([
      [1, 'e1'],
      [2, 'e2'],
      [3, 'e3'],
    ]);
    expect(verifyChain('t-one', objectsOf(chain, 't-one'), [], () => true).ok).toBe(true);
  });

  it('resolves two consumers on one tenant by the head’s condition: the loser reads again and takes the next seq', async () => {
    const { deps, heads, chain } = outboxDeliveryHarness();
    await deliverOutbox([outboxEntry('e1')], deps);
    heads.beforeAdvance = async () => {
      await deliverOutbox([outboxEntry('other-9')], { ...deps });
    };

    await deliverOutbox([outboxEntry('e2')], deps);

    expect(chain.records('t-one').map((record) => [record.seq, record.recordId])).toEqual([
      [1, 'e1'],
      [2, 'other-9'],
      [3, 'e2'],
    ]);
    expect(verifyChain('t-one', objectsOf(chain, 't-one'), [], () => true).ok).toBe(true);
  });

  it('answers from the first chunk the bus refused, and still delivers what came before', async () => {
    const { deps, bus, chain } = outboxDeliveryHarness();
    const entries = Array.from({ length: 25 }, (_, index) => outboxEntry(`e${index + 1}`));
    const publish = bus.publish.bind(bus);
    let calls = 0;
    bus.publish = async (events) => {
      calls += 1;
      if (calls === 2) throw new Error('EventBridge refused 1 event(s)');
      await publish(events);
    };

    const delivery = await deliverOutbox(entries, deps);

    expect(delivery.firstUndelivered).toBe(10);
    expect(bus.published.map((event) => event.id)).toEqual(entries.slice(0, 10).map((entry) => entry.id));
    expect(chain.records('t-one')).toHaveLength(10);
  });

  it('indexes each patient a record names, with the operations that touched them', async () => {
    const { deps, patientIndex } = outboxDeliveryHarness();
    const run = outboxEntry('e1', {
      name: 'audit:plugin:invoked',
      detail: {
        pluginId: 'p1',
        resourceIds: ['p-001'],
        dataAccess: [
          { operation: 'patients.get', outcome: 'success', count: 2, patientIds: ['p-001', 'p-002'] },
          { operation: 'appointments.list', outcome: 'success', count: 1, patientIds: ['p-002'] },
        ],
      },
    });

    await deliverOutbox([run, outboxEntry('e2', { name: 'plugin:installed' })], deps);

    expect(
      [...patientIndex.entries.values()].map((entry) => [entry.patientId, entry.operations, entry.pluginId]),
    ).toEqual([
      ['p-001', ['patients.get'], 'p1'],
      ['p-002', ['appointments.list', 'patients.get'], 'p1'],
    ]);
  });

  it('answers from the first indexed record when the index refuses', async () => {
    const { deps, patientIndex } = outboxDeliveryHarness();
    patientIndex.failPuts = 1;
    const entries = [
      outboxEntry('e1'),
      outboxEntry('e2', { name: 'audit:plugin:invoked', detail: { pluginId: 'p1', resourceIds: ['p-001'] } }),
    ];

    const delivery = await deliverOutbox(entries, deps);

    expect(delivery.firstUndelivered).toBe(1);
    expect(delivery.failures).toEqual([expect.objectContaining({ stage: 'patient-index', index: 1 })]);
  });

  it('runs the access-pattern rules: an anomaly joins the outbox, and delivering it raises nothing more', async () => {
    const { deps, outbox } = outboxDeliveryHarness();
    const denial = (id: string) =>
      outboxEntry(id, {
        name: 'audit:security:permission-denied',
        detail: {
          outcome: 'refused',
          pluginId: 'p1',
          occurrences: { count: 15, firstAt: '2030-01-07T11:00:00.000Z', lastAt: '2030-01-07T11:00:00.000Z' },
        },
      });

    await deliverOutbox([denial('d1'), denial('d2')], deps);
    const raised = [...outbox.entries];
    expect(raised.map((entry) => entry.name)).toEqual(['audit:security:anomaly', 'security:anomaly']);

    const delivery = await deliverOutbox(raised, deps);

    expect(delivery.firstUndelivered).toBeUndefined();
    expect(outbox.entries).toHaveLength(2);
  });

  it('appends each tenant event to its tenant’s feed in stream order, and nothing else', async () => {
    const { deps, feed } = outboxDeliveryHarness();
    const entries = [
      outboxEntry('e1'),
      outboxEntry('e2', { name: 'plugin:installed', detail: { pluginId: 'p1' } }),
      outboxEntry('e3', { name: 'appointment:scheduled', detail: {} }),
      outboxEntry('e4', { name: 'plugin:enabled', tenantId: 't-two', detail: { pluginId: 'p1' } }),
      outboxEntry('e5', { name: 'plugin:enabled', detail: { pluginId: 'p1' } }),
      outboxEntry('e6', { name: 'security:advisory', detail: { pluginId: 'p1' } }),
      outboxEntry('e7', { name: 'plugin:disabled', tenantId: undefined }),
    ];

    const delivery = await deliverOutbox(entries, deps);

    expect(delivery.firstUndelivered).toBeUndefined();
    expect(feed.items.get('t-one')?.map((item) => [item.seq, item.event.id])).toEqual([
      [1, 'e2'],
      [2, 'e5'],
      [3, 'e6'],
    ]);
    expect(feed.items.get('t-two')?.map((item) => item.event.id)).toEqual(['e4']);
  });

  it('appends nothing twice when a batch is delivered again, and hands each appended event on with its seq', async () => {
    const { deps, feed } = outboxDeliveryHarness();
    const handedOn: [string, number][][] = [];
    const withWebhooks = {
      ...deps,
      onFeedAppended: async (appended: readonly { event: { id: string }; seq: number }[]) => {
        handedOn.push(appended.map(({ event, seq }) => [event.id, seq]));
      },
    };
    const entries = [
      outboxEntry('e1', { name: 'plugin:installed', detail: {} }),
      outboxEntry('e2', { name: 'plugin:enabled', detail: {} }),
    ];

    await deliverOutbox(entries, withWebhooks);
    await deliverOutbox(entries, withWebhooks);

    expect(feed.items.get('t-one')?.map((item) => item.event.id)).toEqual(['e1', 'e2']);
    expect(handedOn).toEqual([
      [
        ['e1', 1],
        ['e2', 2],
      ],
      [
        ['e1', 1],
        ['e2', 2],
      ],
    ]);
  });

  it('answers the first event whose deliveries could not be queued, so the stream delivers it again', async () => {
    const { deps } = outboxDeliveryHarness();
    const failing = {
      ...deps,
      onFeedAppended: async () => {
        throw new Error('queue unavailable');
      },
    };

    const delivery = await deliverOutbox(
      [outboxEntry('e1'), outboxEntry('e2', { name: 'plugin:enabled', detail: {} })],
      failing,
    );

    expect(delivery.firstUndelivered).toBe(1);
    expect(delivery.failures).toEqual([expect.objectContaining({ stage: 'webhooks', index: 1 })]);
  });
});

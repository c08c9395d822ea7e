import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { PluginHost, PluginStorage } from '../../shared/sandbox/host.ts';
import type { RunRequest } from '../../shared/sandbox/plugin-sandbox.ts';
import type { ResourceExceeded, RunResult } from '../../shared/sandbox/schemas.ts';
import { SupervisedSandbox } from '../../shared/sandbox/supervised/supervised-sandbox.ts';
import { InMemoryPluginStorage } from '../support/fakes/in-memory-plugin-storage.ts';
import { ALL_GRANTS, TENANT_A } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy } from '../support/sandbox/sandbox-harness.ts';

const RUNS = 4;
const QUOTA_BYTES = 1_000;
const VALUE_CHARS = 900;
const WRITER = `export default { async execute(input, api) {
  await api.patients.get('barrier');
  await api.storage.set('entry-' + input, 'x'.repeat(${VALUE_CHARS}));
  return 'stored';
} };`;

/** Every storage call takes a timer turn, as a networked store would. */
function withLatency(storage: PluginStorage): PluginStorage {
  const slow: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(storage)) {
    slow[name] = async (...args: unknown[]) => {
      await delay(1);
      return (fn as (...values: unknown[]) => unknown)(...args);
    };
  }
  return slow as unknown as PluginStorage;
}

/** Runs one writer per run, all held at a barrier until every one is inside the sandbox. */
async function overlappingWriters(run: (code: string, request: Partial<RunRequest>) => Promise<RunResult>) {
  const store = new InMemoryPluginStorage();
  let arrived = 0;
  let openBarrier: () => void = () => {};
  const barrier = new Promise<void>((resolve) => {
    openBarrier = resolve;
  });
  const host = (): PluginHost => ({
    patients: {
      search: async () => [],
      get: async (id) => {
        if (++arrived === RUNS) openBarrier();
        await barrier;
        return { id };
      },
      update: async () => null,
    },
    appointments: { schedule: async () => ({}), cancel: async () => null, reschedule: async () => null },
    storage: withLatency(store.forPlugin(TENANT_A, 'hoarder')),
  });
  const request = { pluginId: 'hoarder', limits: { storageBytes: QUOTA_BYTES } };
  const results = await Promise.all(
    Array.from({ length: RUNS }, (_, index) => run(WRITER, { ...request, input: index, host: host() })),
  );
  const storedBytes = [...store.entries].reduce(
    (total, [key, value]) =>
      total + Buffer.byteLength(key.slice(`${TENANT_A}/hoarder/`.length)) + JSON.stringify(value).length,
    0,
  );
  return { results, storedBytes };
}

function expectQuotaHeld(storedBytes: number, results: RunResult[], exceeded: ResourceExceeded[]) {
  expect(storedBytes).toBeLessThanOrEqual(QUOTA_BYTES);
  expect(results.filter((result) => result.ok)).toHaveLength(1);
  const refused = results.filter((result) => !result.ok);
  expect(refused).toHaveLength(RUNS - 1);
  for (const result of refused) {
    expect(result).toMatchObject({
      error: { code: 'QuotaExceeded', message: `storage quota of ${QUOTA_BYTES} bytes exceeded` },
    });
  }
  const storageEvents = exceeded.filter((event) => event.resource === 'storage');
  expect(storageEvents).toHaveLength(RUNS - 1);
  expect(storageEvents.every((event) => event.observed > QUOTA_BYTES)).toBe(true);
}

// The attack: storage usage was measured once per run and tracked locally, so runs that overlap
// each checked their writes against the same starting usage and together exceeded the quota
// (four runs of 909 bytes against 1 000: all four stored, 3 636 bytes).
describe('concurrent runs exceeding the storage quota', () => {
  const { sandbox, run, exceeded } = createTestSandbox({ maxIsolatesPerKey: RUNS });
  const supervisedExceeded: ResourceExceeded[] = [];
  const supervised = new SupervisedSandbox({
    onResourceExceeded: (event) => void supervisedExceeded.push(event),
  });
  afterAll(() => Promise.all([sandbox.dispose(), supervised.dispose()]));

  it('stores at most the quota when overlapping runs each write just under it', async () => {
    const { results, storedBytes } = await overlappingWriters(run);

    expectQuotaHeld(storedBytes, results, exceeded);
    await expectHealthy(run);
  });

  it('holds the quota the same way when the runs go through the supervised worker process', async () => {
    const runSupervised = (code: string, request: Partial<RunRequest>) =>
      supervised.run({
        code,
        grants: ALL_GRANTS,
        tenantId: TENANT_A,
        host: request.host ?? ({} as PluginHost),
        ...request,
      });

    const { results, storedBytes } = await overlappingWriters(runSupervised);

    expectQuotaHeld(storedBytes, results, supervisedExceeded);
  });
});

import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalExecutionInvoker } from '../../shared/adapters/local/local-execution-invoker.ts';
import { flatResult } from '../support/invoke-for-result.ts';

const WORKER = fileURLToPath(new URL('../support/fakes/in-memory-execution-worker.ts', import.meta.url));
const invoke = (pluginId: string, input: unknown = null, tenantId = 't-acme') =>
  ({
    kind: 'invoke',
    tenantId,
    pluginId,
    actor: 'user-1',
    requestId: `req-${pluginId}`,
    input,
  }) as const;

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Attack: take the local platform down with one plugin (memory bomb, process abort, wedged
 * process). Only the invocation that caused it may fail, with a typed error; the next one runs.
 */
describe('security: a crashing execution ends only its own invocation (local supervised worker)', () => {
  const local = new LocalExecutionInvoker({ workerPath: WORKER, guardMs: 10_000 });
  const invoker = {
    invoke: async (invocation: Parameters<LocalExecutionInvoker['invoke']>[0]) =>
      flatResult(await local.invoke(invocation)),
    deliver: (envelope: unknown) => local.deliver(envelope),
    stop: () => local.stop(),
    get busyWorkerPids() {
      return local.busyWorkerPids;
    },
  };

  afterAll(() => invoker.stop());

  it('answers a memory bomb with MemoryLimitExceeded or SandboxCrashed, then runs the next invocation', async () => {
    const bomb = await invoker.invoke(invoke('bomb'));
    const next = await invoker.invoke(invoke('fine', { n: 1 }));

    expect(bomb.ok).toBe(false);
    expect(['MemoryLimitExceeded', 'SandboxCrashed']).toContain(bomb.error?.code);
    expect(next).toMatchObject({ ok: true, value: { echo: { n: 1 } } });
  });

  it('answers SandboxCrashed when the worker process dies mid-invocation, and restarts it', async () => {
    const crashed = await invoker.invoke(invoke('abort'));
    const next = await invoker.invoke(invoke('fine', { n: 2 }));

    expect(crashed).toMatchObject({ ok: false, error: { code: 'SandboxCrashed' } });
    expect(next).toMatchObject({ ok: true, value: { echo: { n: 2 } } });
  });

  it('kills a worker that stops answering instead of hanging the request', async () => {
    const fast = new LocalExecutionInvoker({ workerPath: WORKER, guardMs: 3_000 });

    const hung = flatResult(await fast.invoke(invoke('hang')));
    const next = flatResult(await fast.invoke(invoke('fine', { n: 3 })));
    await fast.stop();

    expect(hung.error?.code).toBe('TimeoutExceeded');
    expect(next).toMatchObject({ ok: true });
  });

  it("records the data event of a worker's EHR write in the worker's own outbox: none crosses to a bus", async () => {
    const single = new LocalExecutionInvoker({ workerPath: WORKER, guardMs: 10_000, workers: 1 });

    const written = flatResult(await single.invoke(invoke('emitter')));
    const probed = flatResult(await single.invoke(invoke('outbox-probe')));
    await single.stop();

    expect(written).toMatchObject({ ok: true });
    expect(probed).toMatchObject({ ok: true, value: { dataEvents: ['patient:updated'] } });
  });

  it('rejects a failed event delivery so the local bus retries it', async () => {
    await expect(invoker.deliver({ not: 'an envelope' })).rejects.toThrow(/delivery failed/);
  });

  it('answers only the run of a worker killed mid-run; the other workers keep serving', async () => {
    const pool = new LocalExecutionInvoker({ workerPath: WORKER, guardMs: 10_000, workers: 3 });
    await Promise.all([pool.invoke(invoke('fine', 0)), pool.invoke(invoke('fine', 0, 't-globex'))]);

    const hung = pool.invoke(invoke('hang')).then(flatResult);
    await waitFor(() => pool.busyWorkerPids.length === 1);
    const [victim] = pool.busyWorkerPids;
    if (victim === undefined) throw new Error('the hanging run should have a worker of its own');
    const bystander = pool.invoke(invoke('fine', 5, 't-globex')).then(flatResult);
    process.kill(victim, 'SIGKILL');
    const [hungResult, bystanderResult] = await Promise.all([hung, bystander]);
    const next = flatResult(await pool.invoke(invoke('fine', 6)));
    await pool.stop();

    expect(hungResult).toMatchObject({ ok: false, error: { code: 'SandboxCrashed' } });
    expect(bystanderResult).toMatchObject({ ok: true, value: { echo: 5 } });
    expect(next).toMatchObject({ ok: true, value: { echo: 6 } });
  });

  it('runs a tenant’s queued runs on the other workers when one of its runs crashes its worker', async () => {
    const pool = new LocalExecutionInvoker({ workerPath: WORKER, guardMs: 10_000, workers: 3 });

    const results = await Promise.all([
      pool.invoke(invoke('abort')).then(flatResult),
      pool.invoke(invoke('fine', 1)).then(flatResult),
      pool.invoke(invoke('fine', 2)).then(flatResult),
      pool.invoke(invoke('fine', 3)).then(flatResult),
    ]);
    await pool.stop();

    expect(results.map((result) => result.error?.code ?? 'ok')).toEqual(['SandboxCrashed', 'ok', 'ok', 'ok']);
  });
});

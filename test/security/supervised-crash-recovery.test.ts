import { afterAll, describe, expect, it } from 'vitest';
import type { RunRequest } from '../../shared/sandbox/plugin-sandbox.ts';
import type { ResourceExceeded } from '../../shared/sandbox/schemas.ts';
import { SupervisedSandbox } from '../../shared/sandbox/supervised/supervised-sandbox.ts';
import { ALL_GRANTS, pluginWith, recordingHost, TENANT_A } from '../support/sandbox/recording-host.ts';
import { HEALTHY_PLUGIN } from '../support/sandbox/sandbox-harness.ts';

const exceeded: ResourceExceeded[] = [];
const sandbox = new SupervisedSandbox({ onResourceExceeded: (event) => void exceeded.push(event) });
afterAll(() => sandbox.dispose());

const run = (code: string, request: Partial<RunRequest> = {}) =>
  sandbox.run({
    code,
    grants: ALL_GRANTS,
    tenantId: TENANT_A,
    pluginId: 'crashy',
    host: recordingHost(),
    ...request,
  });

/** Never process.kill(0): that would signal this whole process group, test runner included. */
function killWorker(pid: number | undefined): void {
  if (pid === undefined || pid <= 0) throw new Error('no worker to kill');
  process.kill(pid, 'SIGKILL');
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('supervised crash recovery', () => {
  it('answers every run in flight with SandboxCrashed when the worker dies, then restarts it', async () => {
    const host = recordingHost();
    await run(HEALTHY_PLUGIN);
    const firstPid = sandbox.workerPid;
    const held = run(pluginWith(`return api.patients.search({ slow: true });`), { host });
    const alsoHeld = run(pluginWith(`return api.patients.search({ slow: true });`), {
      host,
      tenantId: 't-other',
    });
    await waitFor(() => host.calls.length === 2);

    killWorker(firstPid);
    const results = await Promise.all([held, alsoHeld]);
    const next = await run(HEALTHY_PLUGIN, { input: 7 });

    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { code: 'SandboxCrashed' } });
    }
    expect(next).toMatchObject({ ok: true, value: { healthy: true, input: 7 } });
    expect(sandbox.workerPid).not.toBe(firstPid);
  });

  it('blames the run whose heap bomb aborted the worker and answers the bystander with SandboxCrashed', async () => {
    const host = recordingHost();
    const bystander = run(pluginWith(`return api.patients.search({ slow: true });`), {
      host,
      tenantId: 't-bystander',
    });
    await waitFor(() => host.calls.length === 1);
    const bomb =
      'export default { execute() { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i, s: String(i) }); } };';

    const result = await run(bomb, { limits: { memoryMb: 16, timeoutMs: 20_000 } });
    const next = await run(HEALTHY_PLUGIN, { input: 1 });

    expect(result).toMatchObject({ ok: false, error: { code: 'MemoryLimitExceeded' } });
    expect(await bystander).toMatchObject({ ok: false, error: { code: 'SandboxCrashed' } });
    expect(next).toMatchObject({ ok: true, value: { healthy: true, input: 1 } });
  });

  it('proxies host calls to the parent and never calls the host after the run settled', async () => {
    const host = recordingHost();
    const code = pluginWith(`
      const patient = await api.patients.get('p-a1');
      api.patients.search({ slow: true }).then(() => api.patients.update('p-a1', { name: 'Late' }));
      return patient.name;`);

    const result = await run(code, { host });
    host.releaseSlowCalls();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(result).toMatchObject({ ok: true, value: 'Ada Example', usage: { dataCalls: 2 } });
    // The detached search may or may not reach the host before the result does; the write never may.
    const methods = host.calls.map((call) => call.method);
    expect(methods[0]).toBe('patients.get');
    expect(methods).not.toContain('patients.update');
  });

  it('keeps rate counters in the supervisor, so limits hold across worker restarts', async () => {
    const limits = { databaseQueriesPerMinute: 1 };
    const code = pluginWith(`return api.patients.get('p-a1');`);
    const first = await run(code, { limits, pluginId: 'counted' });

    killWorker(sandbox.workerPid);
    await waitFor(() => sandbox.workerPid === undefined);
    const second = await run(code, { limits, pluginId: 'counted' });

    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'RateLimited' } });
    expect(exceeded).toContainEqual(
      expect.objectContaining({ resource: 'databaseQueries', pluginId: 'counted' }),
    );
  });
});

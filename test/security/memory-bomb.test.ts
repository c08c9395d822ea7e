import { afterAll, describe, expect, it } from 'vitest';
import { SupervisedSandbox } from '../../shared/sandbox/supervised/supervised-sandbox.ts';
import { ALL_GRANTS, recordingHost, TENANT_A } from '../support/sandbox/recording-host.ts';
import { createTestSandbox, expectHealthy, HEALTHY_PLUGIN } from '../support/sandbox/sandbox-harness.ts';

const { sandbox, run, exceeded } = createTestSandbox();
const supervised = new SupervisedSandbox();
afterAll(async () => {
  await sandbox.dispose();
  await supervised.dispose();
});

const LIMITS = { memoryMb: 16, timeoutMs: 20_000 };

describe('memory bombs in process', () => {
  it('ends growing arrays with MemoryLimitExceeded, reports it, and replaces the isolate', async () => {
    const code =
      'export default { execute() { const keep = []; for (;;) keep.push(new Array(100000).fill(1)); } };';

    const result = await run(code, { limits: LIMITS });

    expect(result).toMatchObject({
      ok: false,
      error: { code: 'MemoryLimitExceeded', message: 'plugin exceeded its 16 MB memory limit' },
    });
    expect(exceeded).toContainEqual(expect.objectContaining({ resource: 'memory', limit: 16 * 1024 * 1024 }));
    await expectHealthy((plugin, request) => run(plugin, { ...request, limits: LIMITS }));
  });

  it('fails a single huge allocation inside the plugin without harming the host', async () => {
    const code = `export default { execute() { try { new ArrayBuffer(2 ** 31); return 'allocated'; } catch (error) { return error.name; } } };`;

    const result = await run(code, { limits: LIMITS });

    expect(result).toMatchObject({ ok: true, value: 'RangeError' });
    await expectHealthy(run);
  });
});

// These overshoot the isolate's limit faster than V8 can stop them, and V8 then aborts the whole
// process: only the supervised process boundary survives them, which is why the platform uses it.
const PROCESS_KILLERS = {
  'objects in a map':
    'export default { execute() { const m = new Map(); for (let i = 0; ; i++) m.set(i, { i, s: String(i) }); } };',
  'doubling strings kept alive': `export default { execute() { const keep = []; let s = 'x'.repeat(1024); for (;;) { s = s + s.slice(0, 1 << 20); keep.push(s + keep.length); } } };`,
};

describe('memory bombs behind the supervised process boundary', () => {
  for (const [name, code] of Object.entries(PROCESS_KILLERS)) {
    it(`answers ${name} with MemoryLimitExceeded and serves the next run`, async () => {
      const request = { grants: ALL_GRANTS, tenantId: TENANT_A, host: recordingHost(), limits: LIMITS };

      const result = await supervised.run({ code, ...request });
      const next = await supervised.run({ code: HEALTHY_PLUGIN, input: 3, ...request });

      expect(result).toMatchObject({ ok: false, error: { code: 'MemoryLimitExceeded' } });
      expect(next).toMatchObject({ ok: true, value: { healthy: true, input: 3 } });
    });
  }
});

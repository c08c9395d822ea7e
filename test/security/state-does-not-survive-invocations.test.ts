import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../shared/sandbox/schemas.ts';
import { pluginWith, recordingHost } from '../support/sandbox/recording-host.ts';
import { createTestSandbox } from '../support/sandbox/sandbox-harness.ts';

// One isolate per tenant and plugin, so every run below reuses the same isolate.
const { sandbox, run } = createTestSandbox({ maxIsolatesPerKey: 1 });
afterAll(() => sandbox.dispose());

const STATEFUL = `
let moduleCounter = 0;
export default {
  execute() {
    moduleCounter++;
    const seen = {
      moduleCounter,
      global: typeof globalThis.leftover,
      proto: typeof ({}).leftover,
      arrayPush: Array.prototype.push.name,
      json: JSON.stringify({ a: 1 }),
    };
    globalThis.leftover = 'x';
    Object.prototype.leftover = 'x';
    Array.prototype.push = function hijacked() {};
    JSON.stringify = () => 'forged';
    return seen;
  },
};
`;

describe('state between invocations', () => {
  it('starts every run with fresh globals, module state and prototypes in a reused isolate', async () => {
    const first = await run(STATEFUL);

    const second = await run(STATEFUL);

    const clean = {
      moduleCounter: 1,
      global: 'undefined',
      proto: 'undefined',
      arrayPush: 'push',
      json: '{"a":1}',
    };
    expect(first).toMatchObject({ ok: true, value: clean });
    expect(second).toMatchObject({ ok: true, value: clean });
  });

  it('keeps nothing but storage from one run to the next', async () => {
    const host = recordingHost();
    const code = pluginWith(`
      const previous = await api.storage.get('visits');
      await api.storage.set('visits', (previous ?? 0) + 1);
      return previous;`);

    const first = await run(code, { host });
    const second = await run(code, { host });

    expect(first).toMatchObject({ ok: true, value: null });
    expect(second).toMatchObject({ ok: true, value: 1 });
  });

  it('never resumes code a finished run left waiting on a host call', async () => {
    const host = recordingHost();
    const code = pluginWith(`
      api.patients.search({ slow: true }).then(() => api.patients.update('p-a1', { name: 'Late Write' }));
      return 'returned early';`);

    const result = await run(code, { host });
    host.releaseSlowCalls();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(result).toMatchObject({ ok: true, value: 'returned early' });
    expect(host.calls.map((call) => call.method)).toEqual(['patients.search']);
    expect(await host.patients.get('p-a1')).toMatchObject({ name: 'Ada Example' });
  });

  it('never writes storage for a run that settled while its quota check was still reading', async () => {
    const host = recordingHost();
    const storage = host.storage;
    if (!storage) throw new Error('the recording host has storage');
    let releaseList: () => void = () => {};
    const listed = new Promise<void>((resolve) => {
      releaseList = resolve;
    });
    const writes: string[] = [];
    const slowHost = {
      ...host,
      storage: {
        ...storage,
        list: async (prefix: string | undefined) => {
          await listed;
          return storage.list(prefix);
        },
        set: async (key: string, value: JsonValue) => {
          writes.push(key);
          return storage.set(key, value);
        },
      },
    };
    const code = pluginWith(`api.storage.set('late', 1); return 'returned early';`);

    const result = await run(code, { host: slowHost });
    releaseList();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(result).toMatchObject({ ok: true, value: 'returned early' });
    expect(writes).toEqual([]);
  });
});

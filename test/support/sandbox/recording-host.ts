import { readFileSync } from 'node:fs';
import { createFixtureHost, type Fixtures, FixturesSchema } from '../../../apps/cli/fixture-host.ts';
import type { HttpRequestInit, PluginHost } from '../../../shared/sandbox/host.ts';

export const FIXTURES: Fixtures = FixturesSchema.parse(
  JSON.parse(readFileSync(new URL('./fixtures.json', import.meta.url), 'utf8')),
);
export const TENANT_A = 't-clinic-a';
export const TENANT_B = 't-clinic-b';
export const ALL_GRANTS = ['read:patients', 'write:patients', 'read:appointments', 'write:appointments'];

export interface HostCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface RecordingHost extends PluginHost {
  readonly calls: HostCall[];
  /** Resolves pending `slow` calls; until then they never answer. */
  releaseSlowCalls(): void;
}

/**
 * The CLI's fixture host for one tenant, recording every call with the arguments it received
 * (the real objects, so tests can check they are plain copies). `patients.search({ slow: true })`
 * waits until `releaseSlowCalls()`, to hold a run in a host call.
 */
export function recordingHost(
  tenantId: string = TENANT_A,
  options: {
    fetch?: (
      url: string,
      init: HttpRequestInit,
    ) => Promise<{ status: number; headers: Record<string, string>; body: string }>;
  } = {},
): RecordingHost {
  const inner = createFixtureHost(FIXTURES, tenantId);
  const calls: HostCall[] = [];
  let release: () => void = () => {};
  let released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const recorded =
    <Args extends unknown[], Result>(method: string, fn: (...args: Args) => Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      calls.push({ method, args });
      return fn(...args);
    };
  const storage = inner.storage;
  if (!storage) throw new Error('the fixture host always has storage');
  return {
    calls,
    releaseSlowCalls() {
      release();
      released = new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    patients: {
      search: recorded('patients.search', async (criteria) => {
        if (criteria.slow === true) {
          await released;
          return [];
        }
        return inner.patients.search(criteria);
      }),
      get: recorded('patients.get', inner.patients.get),
      update: recorded('patients.update', inner.patients.update),
    },
    appointments: {
      schedule: recorded('appointments.schedule', inner.appointments.schedule),
      cancel: recorded('appointments.cancel', inner.appointments.cancel),
      reschedule: recorded('appointments.reschedule', inner.appointments.reschedule),
    },
    storage: {
      get: recorded('storage.get', storage.get),
      set: recorded('storage.set', storage.set),
      delete: recorded('storage.delete', storage.delete),
      list: recorded('storage.list', storage.list),
    },
    ...(options.fetch ? { fetch: recorded('fetch', options.fetch) } : {}),
  };
}

/** A plugin whose `execute` body is the given statements (input and api in scope). */
export function pluginWith(body: string): string {
  return `export default {\n  async execute(input, api) {\n${body}\n  },\n};\n`;
}

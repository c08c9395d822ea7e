import { expect } from 'vitest';
import {
  PluginSandbox,
  type PluginSandboxOptions,
  type RunRequest,
} from '../../../shared/sandbox/plugin-sandbox.ts';
import type { ResourceExceeded, RunResult, SecurityEvent } from '../../../shared/sandbox/schemas.ts';
import { ALL_GRANTS, recordingHost, TENANT_A } from './recording-host.ts';

/** A sandbox that keeps what its hooks reported, for the assertions. */
export function createTestSandbox(options: PluginSandboxOptions = {}) {
  const securityEvents: SecurityEvent[] = [];
  const exceeded: ResourceExceeded[] = [];
  const sandbox = new PluginSandbox({
    ...options,
    onSecurityEvent: (event) => {
      securityEvents.push(event);
    },
    onResourceExceeded: (event) => {
      exceeded.push(event);
    },
  });
  const run = (code: string, request: Partial<RunRequest> = {}): Promise<RunResult> =>
    sandbox.run({
      code,
      input: null,
      grants: ALL_GRANTS,
      tenantId: TENANT_A,
      pluginId: 'test-plugin',
      version: '1.0.0',
      host: request.host ?? recordingHost(request.tenantId ?? TENANT_A),
      ...request,
    });
  return { sandbox, run, securityEvents, exceeded };
}

export const HEALTHY_PLUGIN = 'export default { execute(input) { return { healthy: true, input }; } };';

/** The check every adversarial test ends with: the same sandbox still runs a plugin normally. */
export async function expectHealthy(
  run: (code: string, request?: Partial<RunRequest>) => Promise<RunResult>,
) {
  const result = await run(HEALTHY_PLUGIN, { input: 42 });
  expect(result).toMatchObject({ ok: true, value: { healthy: true, input: 42 } });
  return result;
}

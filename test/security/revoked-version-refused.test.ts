import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createExecutionPlatform,
  type ExecutionPlatform,
} from '../support/fakes/in-memory-execution-platform.ts';
import { invokeForResult } from '../support/invoke-for-result.ts';

const invoke = {
  kind: 'invoke',
  tenantId: 't-acme',
  pluginId: 'compromised',
  actor: 'user-1',
  requestId: 'req-1',
  input: null,
} as const;

/** Attack: keep running a version the platform revoked (the kill switch) by relying on caches. */
describe('security: a revoked version is refused in every tenant within a minute', () => {
  let platform: ExecutionPlatform;

  beforeEach(() => {
    platform = createExecutionPlatform();
  });

  afterEach(() => platform.dispose());

  function revoke() {
    const release = platform.releases.releases.get('compromised@1.0.0');
    if (release) platform.releases.put({ ...release, status: 'revoked', revokedReason: 'exfiltration' });
  }

  it('refuses a revoked version before loading or running it, and audits the refusal', async () => {
    await platform.install({ pluginId: 'compromised', code: 'export default { execute() { return 1; } };' });
    revoke();
    const run = vi.spyOn(platform.sandbox, 'run');

    const result = await invokeForResult(invoke, platform.deps);

    expect(result.error?.code).toBe('PluginRevoked');
    expect(run).not.toHaveBeenCalled();
    expect(platform.artifactStore.reads).toBe(0);
    expect(platform.outbox.records).toContainEqual(
      expect.objectContaining({
        action: 'security:revoked-version-refused',
        outcome: 'refused',
        tenantId: 't-acme',
        version: '1.0.0',
      }),
    );
  });

  it('stops a version that was running fine once the one-minute cache expires, in every tenant', async () => {
    await platform.install({ pluginId: 'compromised', code: 'export default { execute() { return 1; } };' });
    await platform.install({
      tenantId: 't-globex',
      pluginId: 'compromised',
      code: 'export default { execute() { return 1; } };',
    });
    const before = await invokeForResult(invoke, platform.deps);
    revoke();

    platform.clock.advance(60_000);
    const acme = await invokeForResult(invoke, platform.deps);
    const globex = await invokeForResult({ ...invoke, tenantId: 't-globex' }, platform.deps);

    expect(before.ok).toBe(true);
    expect(acme.error?.code).toBe('PluginRevoked');
    expect(globex.error?.code).toBe('PluginRevoked');
  });

  it('fails closed when the catalogue cannot be read', async () => {
    await platform.install({ pluginId: 'compromised', code: 'export default { execute() { return 1; } };' });
    platform.releases.getRelease = async () => {
      throw new Error('catalogue unavailable');
    };
    const run = vi.spyOn(platform.sandbox, 'run');

    const result = await invokeForResult(invoke, platform.deps);

    expect(result.refusal).toEqual({ code: 'ExecutionUnavailable', retryAfterSeconds: 1 });
    expect(run).not.toHaveBeenCalled();
  });
});

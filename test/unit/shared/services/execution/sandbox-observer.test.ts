import { describe, expect, it } from 'vitest';
import { SandboxObserver } from '../../../../../shared/services/execution/sandbox-observer.ts';

const run = { tenantId: 't-acme', pluginId: 'nosy', version: '1.0.0' };
const times = { count: 3, firstAt: '2030-01-01T09:00:00.000Z', lastAt: '2030-01-01T09:00:01.000Z' };

describe('SandboxObserver', () => {
  it('keeps what the sandbox reported for a run until the run takes it, and only once', () => {
    const observer = new SandboxObserver();
    const denied = {
      ...run,
      type: 'permission-denied',
      operation: 'patients.update',
      permission: 'write:patients',
      ...times,
    } as const;
    const exceeded = { ...run, resource: 'databaseQueries', limit: 2, observed: 3, ...times } as const;

    observer.onSecurityEvent(denied);
    observer.onResourceExceeded(exceeded);
    observer.onSecurityEvent({ ...denied, pluginId: 'other' });

    expect(observer.take(run)).toEqual({ securityEvents: [denied], resourceEvents: [exceeded] });
    expect(observer.take(run)).toEqual({ securityEvents: [], resourceEvents: [] });
    expect(observer.take({ ...run, pluginId: 'other' }).securityEvents).toHaveLength(1);
  });
});

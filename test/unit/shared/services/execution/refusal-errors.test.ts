import { describe, expect, it } from 'vitest';
import { failedInvocation } from '../../../../../shared/domain/invocation.ts';
import { REFUSAL_CODES } from '../../../../../shared/services/execution/invocation-outcome.ts';
import { errorForUnrunInvocation } from '../../../../../shared/services/execution/refusal-errors.ts';

describe('errorForUnrunInvocation', () => {
  it.each([
    ['PluginNotFound', 'PLUGIN_NOT_FOUND'],
    ['PluginNotEnabled', 'PLUGIN_NOT_ENABLED'],
    ['PluginRevoked', 'VERSION_REVOKED'],
    ['ArtifactUnverified', 'ARTIFACT_UNVERIFIED'],
    ['TenantConcurrencyExceeded', 'RATE_LIMITED'],
    ['ExecutionThrottled', 'RATE_LIMITED'],
    ['RunLeaseUnavailable', 'EXECUTION_UNAVAILABLE'],
  ])('answers a run refused with %s as %s', (refusal, code) => {
    const error = errorForUnrunInvocation(failedInvocation(refusal, 'not run', { retryAfterSeconds: 2 }));

    expect(error?.code).toBe(code);
  });

  it('maps every refusal code the execution path can answer', () => {
    const unmapped = REFUSAL_CODES.filter(
      (code) => !errorForUnrunInvocation(failedInvocation(code, 'not run')),
    );

    expect(unmapped).toEqual([]);
  });

  it('passes a run that happened through, whether it succeeded or the plugin failed', () => {
    expect(errorForUnrunInvocation(failedInvocation('PluginError', 'the plugin threw'))).toBeUndefined();
    expect(errorForUnrunInvocation(failedInvocation('TimeoutExceeded', 'too slow'))).toBeUndefined();
  });

  it('keeps the Retry-After of a "not now" refusal', () => {
    const error = errorForUnrunInvocation(
      failedInvocation('RunLeaseUnavailable', 'x', { retryAfterSeconds: 4 }),
    );

    expect(error?.retryAfterSeconds).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { type Refusal, RefusalSchema } from '../../../../../shared/domain/invocation.ts';
import { errorForRefusal } from '../../../../../shared/services/execution/refusal-errors.ts';

describe('errorForRefusal', () => {
  it.each<[Refusal, string]>([
    [{ code: 'PluginNotFound' }, 'PLUGIN_NOT_FOUND'],
    [{ code: 'PluginNotEnabled', state: 'disabled' }, 'PLUGIN_NOT_ENABLED'],
    [{ code: 'PluginRevoked' }, 'VERSION_REVOKED'],
    [{ code: 'ArtifactUnverified' }, 'ARTIFACT_UNVERIFIED'],
    [{ code: 'TenantConcurrencyExceeded', retryAfterSeconds: 2 }, 'RATE_LIMITED'],
    [{ code: 'ExecutionThrottled', retryAfterSeconds: 2 }, 'RATE_LIMITED'],
    [{ code: 'RunLeaseUnavailable', retryAfterSeconds: 2 }, 'EXECUTION_UNAVAILABLE'],
    [{ code: 'ExecutionUnavailable', retryAfterSeconds: 2 }, 'EXECUTION_UNAVAILABLE'],
    [{ code: 'AuditUnavailable', retryAfterSeconds: 2 }, 'AUDIT_UNAVAILABLE'],
  ])('answers a run refused with %o as %s', (refusal, code) => {
    expect(errorForRefusal(refusal).code).toBe(code);
  });

  it('maps every refusal the schema allows', () => {
    const codes = RefusalSchema.options.map((option) => option.shape.code.value);

    expect(codes).toHaveLength(9);
  });

  it('carries the state and the platform’s reason of a plugin that is not enabled', () => {
    const error = errorForRefusal({
      code: 'PluginNotEnabled',
      state: 'disabled',
      stateReason: 'auto:error-rate',
    });

    expect(error.facts).toEqual({ state: 'disabled', stateReason: 'auto:error-rate' });
  });

  it('keeps the Retry-After of a "not now" refusal', () => {
    const error = errorForRefusal({ code: 'RunLeaseUnavailable', retryAfterSeconds: 4 });

    expect(error.retryAfterSeconds).toBe(4);
  });
});

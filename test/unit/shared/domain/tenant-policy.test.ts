import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_CONCURRENT_RUNS,
  DEFAULT_TENANT_POLICY,
  MAX_CONCURRENT_RUNS_LIMIT,
  StoredTenantPolicySchema,
  TenantPolicySchema,
} from '../../../../shared/domain/tenant-policy.ts';

describe('the tenant policy’s concurrent-run cap', () => {
  it('defaults a stored policy written before the field existed', () => {
    const { maxConcurrentRuns: _omitted, ...legacy } = DEFAULT_TENANT_POLICY;

    const stored = StoredTenantPolicySchema.parse({ policy: legacy, version: 3 });

    expect(stored.policy.maxConcurrentRuns).toBe(DEFAULT_MAX_CONCURRENT_RUNS);
  });

  it('accepts 1 to the bounded maximum and refuses anything else', () => {
    const withCap = (maxConcurrentRuns: unknown) =>
      TenantPolicySchema.safeParse({ ...DEFAULT_TENANT_POLICY, maxConcurrentRuns }).success;

    expect(withCap(1)).toBe(true);
    expect(withCap(MAX_CONCURRENT_RUNS_LIMIT)).toBe(true);
    expect(withCap(0)).toBe(false);
    expect(withCap(MAX_CONCURRENT_RUNS_LIMIT + 1)).toBe(false);
    expect(withCap(2.5)).toBe(false);
    expect(withCap('4')).toBe(false);
  });
});

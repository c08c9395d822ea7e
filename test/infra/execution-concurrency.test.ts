import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_EXECUTION_RESERVED_CONCURRENCY,
  MIN_EXECUTION_RESERVED_CONCURRENCY,
} from '../../infra/settings.ts';
import { DEFAULT_MAX_CONCURRENT_RUNS, MAX_CONCURRENT_RUNS_LIMIT } from '../../shared/domain/tenant-policy.ts';
import {
  FIXTURE_HANDLER,
  resourcesOfType,
  type SynthesizedPlatform,
  synthPlatform,
} from './synth-platform.ts';

const entries = { platform: FIXTURE_HANDLER, lifecycle: FIXTURE_HANDLER, marketplace: FIXTURE_HANDLER };

function executionFunctionOf(platform: SynthesizedPlatform): Record<string, unknown> {
  const functions = resourcesOfType([platform.template(platform.stacks.execution)], 'AWS::Lambda::Function');
  expect(functions).toHaveLength(1);
  return functions[0]?.[1] as Record<string, unknown>;
}

describe('the execution function’s concurrency, shared by every tenant', () => {
  let configured: SynthesizedPlatform;

  beforeAll(() => {
    configured = synthPlatform({
      cloudFormationValidation: false,
      context: { 'gradiant:executionReservedConcurrency': 120 },
      platform: { executionEntry: FIXTURE_HANDLER, entries },
    });
  });

  it('reserves R from gradiant:executionReservedConcurrency', () => {
    expect(configured.synthError).toBeUndefined();
    expect(executionFunctionOf(configured).ReservedConcurrentExecutions).toBe(120);
  });

  it('sizes the default R so that a tenant at the highest cap leaves half of it to the others', () => {
    expect(DEFAULT_EXECUTION_RESERVED_CONCURRENCY).toBeGreaterThanOrEqual(MIN_EXECUTION_RESERVED_CONCURRENCY);
    expect(MIN_EXECUTION_RESERVED_CONCURRENCY).toBe(2 * MAX_CONCURRENT_RUNS_LIMIT);
    expect(
      Math.floor(DEFAULT_EXECUTION_RESERVED_CONCURRENCY / DEFAULT_MAX_CONCURRENT_RUNS),
    ).toBeGreaterThanOrEqual(12);
  });

  it('refuses an R below twice the highest per-tenant cap, naming the key', () => {
    expect(() =>
      synthPlatform({
        cloudFormationValidation: false,
        context: { 'gradiant:executionReservedConcurrency': MIN_EXECUTION_RESERVED_CONCURRENCY - 1 },
        platform: { executionEntry: FIXTURE_HANDLER, entries },
      }),
    ).toThrow(/gradiant:executionReservedConcurrency/);
  });
});

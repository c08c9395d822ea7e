import {
  crashedInvocation,
  type DirectInvocation,
  type InvocationResult,
  type Refusal,
  type RunOutcome,
} from '../../shared/domain/invocation.ts';
import { emptyUsage } from '../../shared/sandbox/usage.ts';
import type { ExecutionDependencies } from '../../shared/services/execution/execution-dependencies.ts';
import { invokePlugin } from '../../shared/services/execution/invoke-plugin.ts';

/** The public result, with room for a refusal's code where a run's error would be. */
export interface FlatResult {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { code: string; message: string };
  readonly usage: InvocationResult['usage'];
  readonly logs: InvocationResult['logs'];
  readonly events: InvocationResult['events'];
  readonly refusal?: Refusal;
  readonly retryAfterSeconds?: number;
}

/**
 * One flat view of an outcome for tests that assert on codes: the run's result when it ran, else a
 * failed result named by the refusal (with its typed facts beside it) or the crash.
 */
export function flatResult(outcome: RunOutcome): FlatResult {
  switch (outcome.kind) {
    case 'ran':
      return outcome.result;
    case 'crashed':
      return crashedInvocation(outcome.code);
    case 'refused': {
      const { refusal } = outcome;
      return {
        ok: false,
        error: { code: refusal.code, message: 'refused' },
        usage: emptyUsage(),
        logs: [],
        events: [],
        refusal,
        ...('retryAfterSeconds' in refusal ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
      };
    }
  }
}

/** The invoke use case, flattened by `flatResult`. */
export async function invokeForResult(
  invocation: DirectInvocation,
  deps: ExecutionDependencies,
): Promise<FlatResult> {
  return flatResult(await invokePlugin(invocation, deps));
}

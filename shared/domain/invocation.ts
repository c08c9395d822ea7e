import { z } from 'zod';
import { CRASH_KINDS, CRASH_MESSAGES, type CrashKind } from '../sandbox/classify-crash.ts';
import { type RunResult, RunResultSchema } from '../sandbox/schemas.ts';
import { emptyUsage } from '../sandbox/usage.ts';
import { InstallationStateSchema } from './installation.ts';
import { AuditRecordSchema } from './platform-events.ts';

/**
 * What the lifecycle function (sync `POST /v1/plugins/{id}/invoke`) and the event bus (async,
 * subscribed events) hand to the execution function. Tenant and actor come from a verified token
 * or from the platform's own event; the execution function reads and checks the installation.
 */
export const DirectInvocationSchema = z.object({
  kind: z.literal('invoke'),
  tenantId: z.string(),
  pluginId: z.string(),
  actor: z.string(),
  requestId: z.string(),
  input: z.unknown(),
  /**
   * The `api:request` record of the HTTP request that asked for the run, to commit in the run's
   * settlement (one write for both); absent, the caller records its request itself.
   */
  requestRecord: AuditRecordSchema.optional(),
});
export type DirectInvocation = z.infer<typeof DirectInvocationSchema>;

const RetryAfterSecondsSchema = z.number().int().positive();

/**
 * Why the platform refused to start a run: nothing ran, so there is no run result. Each refusal
 * carries the facts its caller needs (the state that refused it, when to try again), typed.
 */
export const RefusalSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('PluginNotFound') }),
  z.object({
    code: z.literal('PluginNotEnabled'),
    state: InstallationStateSchema,
    stateReason: z.string().optional(),
  }),
  z.object({ code: z.literal('PluginRevoked') }),
  z.object({ code: z.literal('ArtifactUnverified') }),
  /** The tenant had its cap of runs in flight. */
  z.object({ code: z.literal('TenantConcurrencyExceeded'), retryAfterSeconds: RetryAfterSecondsSchema }),
  /** The lease store could not be reached: the run is refused (fail closed). */
  z.object({ code: z.literal('RunLeaseUnavailable'), retryAfterSeconds: RetryAfterSecondsSchema }),
  /** The invoker's own "not now": Lambda throttled the execution function. */
  z.object({ code: z.literal('ExecutionThrottled'), retryAfterSeconds: RetryAfterSecondsSchema }),
  /** A store the checks need (installations, catalogue, artifacts) could not answer: nothing ran. */
  z.object({ code: z.literal('ExecutionUnavailable'), retryAfterSeconds: RetryAfterSecondsSchema }),
  /**
   * The run's record could not be written, so its result is withheld (fail closed): the caller
   * gets no output of a run the audit trail does not hold, and may retry.
   */
  z.object({ code: z.literal('AuditUnavailable'), retryAfterSeconds: RetryAfterSecondsSchema }),
]);
export type Refusal = z.infer<typeof RefusalSchema>;
export type RefusalCode = Refusal['code'];

/** Refusals that say "not now" rather than "never": an event delivery refused so is retried. */
export const isRetryableRefusal = (refusal: Refusal): boolean =>
  refusal.code === 'TenantConcurrencyExceeded' ||
  refusal.code === 'RunLeaseUnavailable' ||
  refusal.code === 'ExecutionThrottled' ||
  refusal.code === 'ExecutionUnavailable' ||
  refusal.code === 'AuditUnavailable';

/** A run that ended the process it ran in (local worker or Lambda instance), by the sandbox's codes. */
export const CRASH_CODES = CRASH_KINDS;
export type CrashCode = CrashKind;

/**
 * How an invocation ended, as the execution function answers it and both invoker adapters parse
 * it: the run ran (whether the plugin succeeded or not), the platform refused to start it, or the
 * process running it died. One schema, so a refusal is a discriminant, never a code in a string.
 */
export const RunOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ran'), result: RunResultSchema }),
  z.object({ kind: z.literal('refused'), refusal: RefusalSchema }),
  z.object({ kind: z.literal('crashed'), code: z.enum(CRASH_CODES) }),
]);
export type RunOutcome = z.infer<typeof RunOutcomeSchema>;

export const ran = (result: z.infer<typeof RunResultSchema>): RunOutcome => ({ kind: 'ran', result });
export const refused = (refusal: Refusal): RunOutcome => ({ kind: 'refused', refusal });
export const crashed = (code: CrashCode): RunOutcome => ({ kind: 'crashed', code });

/** What the API answers for a run: the sandbox's own run result, one schema for both. */
export const InvocationResultSchema = RunResultSchema;
export type InvocationResult = RunResult;

/** What the API answers for a run whose process died: a failed run with no usage of its own. */
export function crashedInvocation(code: CrashCode): InvocationResult {
  return {
    ok: false,
    error: { code, message: CRASH_MESSAGES[code] },
    usage: emptyUsage(),
    logs: [],
    events: [],
  };
}

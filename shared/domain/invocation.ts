import { z } from 'zod';

/**
 * What the lifecycle function (sync `POST /v1/plugins/{id}/invoke`) and the event bus (async,
 * subscribed events) hand to the execution function. Tenant and actor come from a verified token
 * or from the platform's own event; the execution function re-checks the installation itself.
 */
export const DirectInvocationSchema = z.object({
  kind: z.literal('invoke'),
  tenantId: z.string(),
  pluginId: z.string(),
  actor: z.string(),
  requestId: z.string(),
  input: z.unknown(),
});
export type DirectInvocation = z.infer<typeof DirectInvocationSchema>;

/** The sandbox's run result as the API returns it (see shared/sandbox RunResult). */
export const InvocationResultSchema = z.object({
  ok: z.boolean(),
  value: z.unknown().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  usage: z.object({
    wallMs: z.number(),
    cpuMs: z.number(),
    peakHeapBytes: z.number(),
    dataCalls: z.number(),
    networkCalls: z.number(),
    storageBytes: z.number(),
  }),
  logs: z.array(z.object({ level: z.string(), message: z.string(), meta: z.unknown().optional() })),
  events: z.array(z.object({ name: z.string(), data: z.unknown() })),
  /** Only on a refusal that may succeed later (the tenant's concurrent-run cap): when to try again. */
  retryAfterSeconds: z.number().int().positive().optional(),
});
export type InvocationResult = z.infer<typeof InvocationResultSchema>;

/** A failed result for an invocation that produced no run of its own (refused, or its process died). */
export function failedInvocation(
  code: string,
  message: string,
  options: { retryAfterSeconds?: number } = {},
): InvocationResult {
  return {
    ok: false,
    error: { code, message },
    usage: { wallMs: 0, cpuMs: 0, peakHeapBytes: 0, dataCalls: 0, networkCalls: 0, storageBytes: 0 },
    logs: [],
    events: [],
    ...(options.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: options.retryAfterSeconds }),
  };
}

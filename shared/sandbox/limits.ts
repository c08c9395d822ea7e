import { z } from 'zod';

/** The platform defaults; a tenant policy may override any of them per plugin. */
export const DEFAULT_LIMITS = Object.freeze({
  timeoutMs: 5_000,
  memoryMb: 128,
  cpuMsPerMinute: 6_000,
  networkCallsPerMinute: 100,
  databaseQueriesPerMinute: 1_000,
  storageBytes: 50 * 1024 * 1024,
});

export const LimitsSchema = z
  .object({
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(15 * 60_000),
    // isolated-vm refuses memory limits under 8 MB.
    memoryMb: z.number().int().min(8).max(4_096),
    cpuMsPerMinute: z.number().int().min(1),
    networkCallsPerMinute: z.number().int().min(0),
    databaseQueriesPerMinute: z.number().int().min(0),
    storageBytes: z.number().int().min(0),
  })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

export const LimitOverridesSchema = LimitsSchema.partial();
export type LimitOverrides = z.infer<typeof LimitOverridesSchema>;

export function resolveLimits(overrides: LimitOverrides | undefined): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}

/** The window of every per-minute limit. */
export const RATE_WINDOW_MS = 60_000;

/** Largest JSON result a run may return, in UTF-8 bytes. */
export const MAX_RESULT_BYTES = 1024 * 1024;

/** Calls a run may make without the permission (or with a reserved event name) before it is ended. */
export const MAX_DENIED_CALLS = 20;

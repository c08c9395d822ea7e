import { z } from 'zod';

const count = z.number().int().nonnegative();

/** What one tenant's runs of one plugin used, summed since it was installed. */
export const UsageSummarySchema = z.object({
  pluginId: z.string(),
  invocations: count,
  failures: count,
  totals: z.object({
    wallMs: z.number().nonnegative(),
    cpuMs: z.number().nonnegative(),
    peakHeapBytes: count,
    dataCalls: count,
    networkCalls: count,
    storageBytes: count,
  }),
  lastInvokedAt: z.iso.datetime().optional(),
  byVersion: z.record(z.string(), z.object({ invocations: count, failures: count })),
});
export type UsageSummary = z.infer<typeof UsageSummarySchema>;

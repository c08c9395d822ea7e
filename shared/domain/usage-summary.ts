import { z } from 'zod';
import { UsageSchema } from '../sandbox/schemas.ts';

const count = z.number().int().nonnegative();

/** What one tenant's runs of one plugin used, summed since it was installed. */
export const UsageSummarySchema = z.object({
  pluginId: z.string(),
  invocations: count,
  failures: count,
  /** The runs' usage summed (peak heap too: the series keeps maxima). */
  totals: UsageSchema,
  lastInvokedAt: z.iso.datetime().optional(),
  byVersion: z.record(z.string(), z.object({ invocations: count, failures: count })),
});
export type UsageSummary = z.infer<typeof UsageSummarySchema>;

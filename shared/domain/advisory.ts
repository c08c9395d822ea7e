import { z } from 'zod';
import { SemverRangeSchema } from './manifest.ts';

/** A known-vulnerable package range (the seed set ships in shared/data/advisories.json). */
export const AdvisorySchema = z.object({
  id: z.string().min(1).max(64),
  package: z.string().min(1).max(214),
  vulnerableRange: SemverRangeSchema,
  severity: z.enum(['low', 'moderate', 'high', 'critical']),
  summary: z.string().max(500),
});
export type Advisory = z.infer<typeof AdvisorySchema>;

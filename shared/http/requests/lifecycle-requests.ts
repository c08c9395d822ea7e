import { z } from 'zod';
import { PermissionSchema } from '../../domain/permissions.ts';
import { SignatureSchema } from '../../domain/signatures.ts';
import { UsageIntervalSchema } from '../../domain/usage-series.ts';

/** Field shapes are checked by the validation pipeline, which names the rule that refused. */
export const InstallPluginBodySchema = z.object({
  id: z.string().max(64),
  version: z.string().max(64),
  code: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  signature: SignatureSchema.optional(),
});

export const EnablePluginBodySchema = z
  .object({ grants: z.array(PermissionSchema).max(64).optional() })
  .strict();

export const UpdatePluginBodySchema = z
  .object({
    version: z.string().min(1).max(64),
    code: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    signature: SignatureSchema.optional(),
    allowDowngrade: z.boolean().optional(),
  })
  .strict()
  .refine((body) => (body.code === undefined) === (body.metadata === undefined), {
    message: 'a direct update sends code and metadata together',
    path: ['code'],
  });

export const InvokePluginBodySchema = z.object({ input: z.unknown().optional() }).strict();

/**
 * The usage window: ISO datetimes (any offset), rounded out to the interval's UTC buckets. Unset,
 * `to` is now and `from` reaches back 60 minutes, 24 hours or 30 days; at most 1,440 buckets.
 */
export const UsageQuerySchema = z.object({
  from: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Start of the window (default: one interval span before `to`)'),
  to: z.iso.datetime({ offset: true }).optional().describe('End of the window (default: now)'),
  interval: UsageIntervalSchema.optional().describe('Bucket size of the series; at most 1,440 buckets'),
});

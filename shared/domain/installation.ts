import { z } from 'zod';
import { PluginIdSchema, TenantIdSchema } from './identifiers.ts';

export const INSTALLATION_STATES = ['installed', 'enabled', 'disabled'] as const;
export const InstallationStateSchema = z.enum(INSTALLATION_STATES);
export type InstallationState = z.infer<typeof InstallationStateSchema>;

export const GrantRecordSchema = z.object({
  permissions: z.array(z.string()),
  approvedBy: z.string(),
  approvedAt: z.iso.datetime(),
});
export type GrantRecord = z.infer<typeof GrantRecordSchema>;

/** A plugin installed into one tenant. `revision` guards every write (optimistic concurrency). */
export const InstallationSchema = z.object({
  tenantId: TenantIdSchema,
  pluginId: PluginIdSchema,
  version: z.string(),
  state: InstallationStateSchema,
  source: z.enum(['marketplace', 'direct']),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  permissions: z.array(z.string()),
  grants: GrantRecordSchema.nullable(),
  installedAt: z.iso.datetime(),
  installedBy: z.string(),
  updatedAt: z.iso.datetime(),
  stateReason: z.string().optional(),
  revision: z.number().int().nonnegative(),
});
export type Installation = z.infer<typeof InstallationSchema>;

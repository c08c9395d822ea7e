import { z } from 'zod';

export { type TenantId, TenantIdSchema } from '../auth/caller.ts';

/**
 * Route words that could collide with plugin ids in `/v1/plugins/{id}` and the marketplace paths.
 */
export const RESERVED_PLUGIN_IDS = new Set([
  'updates',
  'search',
  'versions',
  'reviews',
  'keys',
  'publishers',
  'marketplace',
  'plugins',
  'health',
  'local',
  'platform',
  'security',
  'audit',
  'plugin',
  'mine',
]);

export const PluginIdSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be a lowercase slug (a-z, 0-9, -)')
  .refine((id) => !RESERVED_PLUGIN_IDS.has(id), 'is a reserved word')
  .brand<'PluginId'>();
export type PluginId = z.infer<typeof PluginIdSchema>;

export const UserIdSchema = z.string().min(1).max(256);

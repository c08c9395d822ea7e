import { z } from 'zod';
import { PLATFORM_EVENT_NAMESPACES } from '../sandbox/event-names.ts';

/** A tenant (a hospital): every record, run and audit entry belongs to exactly one. */
export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a lowercase slug of 2 to 63 characters')
  .brand<'TenantId'>();
export type TenantId = z.infer<typeof TenantIdSchema>;

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

/**
 * A plugin's id names its events (`plugin-event:<id>:<name>`); one equal to a platform namespace
 * (`appointment`) would read, to a careless consumer, like the platform's own events.
 */
const PLATFORM_EVENT_IDS: ReadonlySet<string> = new Set(
  PLATFORM_EVENT_NAMESPACES.map((namespace) => namespace.slice(0, -1)),
);

export const PluginIdSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be a lowercase slug (a-z, 0-9, -)')
  .refine((id) => !RESERVED_PLUGIN_IDS.has(id), 'is a reserved word')
  .brand<'PluginId'>();
export type PluginId = z.infer<typeof PluginIdSchema>;

/**
 * The id of a plugin entering the platform (install, publish). Stored installations keep the
 * looser schema, so an install made before the rule still loads and can be uninstalled.
 */
export const NewPluginIdSchema = PluginIdSchema.refine(
  (id) => !PLATFORM_EVENT_IDS.has(id),
  'is the name of a platform event namespace',
);

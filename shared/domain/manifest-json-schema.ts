import { z } from 'zod';
import { PluginManifestSchema } from './manifest.ts';

/** Where the package ships the schema, for a manifest's `$schema` (relative to the plugin project). */
export const MANIFEST_SCHEMA_PATH = 'node_modules/gradiant-plugins/dist/plugin/manifest.schema.json';

/**
 * The JSON Schema (2020-12) of `manifest.json`, generated from the zod schema the platform
 * validates with, for editors and other tools. Cross-field rules (a `network:` permission needs
 * its host in `networkHosts`, semantic versions) are the platform's checks only: `validate` runs them.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(PluginManifestSchema, { io: 'input' }) as Record<string, unknown> & {
    properties: Record<string, unknown>;
  };
  return {
    ...generated,
    title: 'Gradiant plugin manifest',
    properties: { $schema: { type: 'string' }, ...generated.properties },
  };
}

import { PluginIdSchema } from '../../../shared/domain/identifiers.ts';
import { type Permission, PermissionSchema } from '../../../shared/domain/permissions.ts';
import { UsageError } from '../commands/publish-cli-types.ts';

/** A plugin id operand, checked before any request so a typo is a usage error, not a 404. */
export function pluginIdOf(value: unknown): string {
  const parsed = PluginIdSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`not a plugin id: ${String(value)}`);
  return parsed.data;
}

/** Each `--grant` must be a permission the platform knows (`read:patients`, `network:host`…). */
export function grantsOf(value: unknown): Permission[] | undefined {
  if (value === undefined) return undefined;
  return (value as string[]).map((grant) => {
    const parsed = PermissionSchema.safeParse(grant);
    if (!parsed.success) throw new UsageError(`unknown permission ${grant}`);
    return parsed.data;
  });
}

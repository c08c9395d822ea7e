/** Every event a plugin emits is published under this prefix and its own id: `plugin-event:<id>:<name>`. */
export const PLUGIN_EVENT_PREFIX = 'plugin-event:';

/**
 * Namespaces only the platform publishes in. A plugin name in one of them would be a forged
 * platform event (a cancellation that never happened), so emitting one is a permission denial.
 */
export const PLATFORM_EVENT_NAMESPACES = [
  'appointment:',
  'patient:',
  'plugin:',
  PLUGIN_EVENT_PREFIX,
  'security:',
  'audit:',
] as const;

const LOCAL_NAME = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/;

export type QualifiedEventName =
  | { readonly kind: 'qualified'; readonly name: string }
  | { readonly kind: 'reserved'; readonly namespace: string }
  | { readonly kind: 'invalid' };

/**
 * The published name of an event a plugin emits as `name`, `<id>:name` or the full form. Reserved
 * namespaces are checked before the plugin's own prefix is removed, so no plugin id can turn a
 * name into a platform one.
 */
export function qualifyEventName(pluginId: string, name: string): QualifiedEventName {
  const full = `${PLUGIN_EVENT_PREFIX}${pluginId}:`;
  let local = name.startsWith(full) ? name.slice(full.length) : undefined;
  if (local === undefined) {
    const namespace = PLATFORM_EVENT_NAMESPACES.find((prefix) => name.startsWith(prefix));
    if (namespace) return { kind: 'reserved', namespace };
    local = name.startsWith(`${pluginId}:`) ? name.slice(pluginId.length + 1) : name;
  }
  return LOCAL_NAME.test(local) ? { kind: 'qualified', name: `${full}${local}` } : { kind: 'invalid' };
}

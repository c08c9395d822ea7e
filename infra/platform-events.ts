/**
 * The event bus contract as the infrastructure routes it. These constants belong in a shared
 * event catalogue (shared/events) once one exists, so publishers and these rules use one list.
 */

/** `source` of every event the platform itself publishes (lifecycle, audit, security, data). */
export const PLATFORM_EVENT_SOURCE = 'gradiant.plugins';

/**
 * `source` of events plugins emit (detail-type `<pluginId>:<name>`). A separate source keeps a
 * plugin from ever matching a rule written for platform events, whatever name it picks.
 */
export const PLUGIN_EVENT_SOURCE = 'gradiant.plugins.plugin';

/** Prefix matched by the compliance rule and the archive: every source above starts with it. */
export const EVENT_SOURCE_PREFIX = PLATFORM_EVENT_SOURCE;

/** Platform data events plugins may subscribe to; delivered to the execution function. */
export const SUBSCRIBABLE_DETAIL_TYPE_PREFIXES = ['appointment:'] as const;
export const SUBSCRIBABLE_DETAIL_TYPES = ['patient:updated'] as const;

export const PLATFORM_DETAIL_TYPES = [
  'appointment:scheduled',
  'appointment:cancelled',
  'appointment:rescheduled',
  'patient:updated',
  'plugin:installed',
  'plugin:enabled',
  'plugin:disabled',
  'plugin:uninstalled',
  'plugin:updated',
  'plugin:error',
  'plugin:resource:exceeded',
] as const;

import { z } from 'zod';

/** EventBridge `source` of every event the platform publishes. */
export const PLATFORM_EVENT_SOURCE = 'gradiant.plugins';

export const LIFECYCLE_EVENT_NAMES = [
  'plugin:installed',
  'plugin:enabled',
  'plugin:disabled',
  'plugin:uninstalled',
  'plugin:updated',
  'plugin:error',
  'plugin:resource:exceeded',
] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENT_NAMES)[number];

/**
 * An event as the platform publishes it: EventBridge `detail-type` is `name`, `detail` is `detail`.
 * Details hold ids, versions, codes and figures only: never PHI.
 */
export const PlatformEventSchema = z.object({
  id: z.string(),
  name: z.string().min(1).max(128),
  time: z.iso.datetime(),
  tenantId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});
export type PlatformEvent = z.infer<typeof PlatformEventSchema>;

export const AUDIT_OUTCOMES = ['success', 'refused', 'failure'] as const;

/** One HIPAA audit record: who did what to which plugin in which tenant, and how it ended. */
export const AuditRecordSchema = z.object({
  action: z.string().min(1).max(128),
  outcome: z.enum(AUDIT_OUTCOMES),
  actor: z.string(),
  tenantId: z.string().optional(),
  pluginId: z.string().optional(),
  version: z.string().optional(),
  code: z.string().optional(),
  /** Ids of records touched (patients, appointments): never their contents. */
  resourceIds: z.array(z.string()).optional(),
  requestId: z.string().optional(),
  /** A publisher signing key acted on: its id, derived from the public key. */
  keyId: z.string().max(256).optional(),
  reason: z.string().max(500).optional(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

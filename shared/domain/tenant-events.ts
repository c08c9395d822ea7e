import { z } from 'zod';
import { SECURITY_ADVISORY_EVENT } from './advisory-rescan.ts';
import { TenantIdSchema } from './identifiers.ts';
import { LIFECYCLE_EVENT_NAMES } from './platform-events.ts';

/**
 * The events a tenant's own systems can follow (the events feed, webhooks, the SDK's `on()`):
 * lifecycle, errors, limit breaches and advisories against installed releases. Audit records,
 * plugin-emitted events and data events stay out: the feed is for operating plugins, not PHI.
 */
export const TENANT_EVENT_TYPES = [...LIFECYCLE_EVENT_NAMES, SECURITY_ADVISORY_EVENT] as const;
export type TenantEventType = (typeof TENANT_EVENT_TYPES)[number];
export const TenantEventTypeSchema = z.enum(TENANT_EVENT_TYPES);

/** How long the feed keeps an event (the floor is 14 days; one day more for clock skew). */
export const TENANT_EVENT_RETENTION_DAYS = 15;

/**
 * One event as the feed and webhooks deliver it: the platform's envelope (`platformEvent()`), so
 * the id is the same one the compliance log and EventBridge carry. `detail` holds ids, versions,
 * codes and figures only.
 */
export const TenantEventSchema = z.object({
  id: z.string().min(1).max(128),
  name: TenantEventTypeSchema,
  time: z.iso.datetime(),
  tenantId: TenantIdSchema,
  detail: z.record(z.string(), z.unknown()),
});
export type TenantEvent = z.infer<typeof TenantEventSchema>;

const TENANT_EVENT_TYPE_SET: ReadonlySet<string> = new Set(TENANT_EVENT_TYPES);

/**
 * The tenant event an outbox entry stands for, or undefined: audit records, data events,
 * plugin-emitted events and anything of no tenant never reach a tenant's feed.
 */
export function tenantEventOf(entry: {
  id: string;
  name: string;
  time: string;
  tenantId?: string | undefined;
  detail: Record<string, unknown>;
}): TenantEvent | undefined {
  if (!TENANT_EVENT_TYPE_SET.has(entry.name) || entry.tenantId === undefined) return undefined;
  const parsed = TenantEventSchema.safeParse({
    id: entry.id,
    name: entry.name,
    time: entry.time,
    tenantId: entry.tenantId,
    detail: entry.detail,
  });
  return parsed.success ? parsed.data : undefined;
}

/** When a feed item appended at `appendedAt` may go (epoch seconds, the TTL attribute). */
export const feedExpiryOf = (appendedAt: Date): number =>
  Math.floor(appendedAt.getTime() / 1000) + TENANT_EVENT_RETENTION_DAYS * 86_400;

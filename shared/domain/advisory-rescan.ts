import { z } from 'zod';
import { AdvisoryFindingSchema, SeveritySchema } from './dependency-scan.ts';
import { PluginIdSchema } from './identifiers.ts';
import { SemverSchema } from './manifest.ts';

/**
 * A new advisory against an installed release, one per installing tenant: published as this event
 * through the outbox (so it reaches EventBridge and the compliance log with the change that found
 * it). Ids and codes only: no advisory summary, no free text.
 */
export const SECURITY_ADVISORY_EVENT = 'security:advisory';

/** What the tenant's policy (`advisories.action`) did about it. */
export const ADVISORY_ACTIONS_TAKEN = ['notified', 'disabled', 'disable-failed'] as const;
export const AdvisoryActionTakenSchema = z.enum(ADVISORY_ACTIONS_TAKEN);
export type AdvisoryActionTaken = z.infer<typeof AdvisoryActionTakenSchema>;

export const SecurityAdvisoryEventDetailSchema = z
  .object({
    tenantId: z.string(),
    pluginId: PluginIdSchema,
    version: SemverSchema,
    advisoryIds: z.array(z.string()).min(1),
    severities: z.array(SeveritySchema).min(1),
    action: AdvisoryActionTakenSchema,
    /** The error code when disabling failed; the next rescan of a new database version retries. */
    code: z.string().optional(),
  })
  .strict();
export type SecurityAdvisoryEventDetail = z.infer<typeof SecurityAdvisoryEventDetailSchema>;

/** One release a rescan found newly affected, with the findings new to it and what each tenant got. */
export const RescannedReleaseSchema = z.object({
  pluginId: PluginIdSchema,
  version: SemverSchema,
  findings: z.array(AdvisoryFindingSchema),
  tenants: z.array(
    z.object({ tenantId: z.string(), action: AdvisoryActionTakenSchema, code: z.string().optional() }),
  ),
});
export type RescannedRelease = z.infer<typeof RescannedReleaseSchema>;

/** What a rescan did: how many releases it scanned (skipping those already scanned with this version). */
export const RescanReportSchema = z.object({
  databaseVersion: z.string(),
  releasesScanned: z.number().int().nonnegative(),
  newlyAffected: z.array(RescannedReleaseSchema),
  tenantsNotified: z.number().int().nonnegative(),
  tenantsDisabled: z.number().int().nonnegative(),
});
export type RescanReport = z.infer<typeof RescanReportSchema>;

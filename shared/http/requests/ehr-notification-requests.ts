import { z } from 'zod';
import { NOTIFICATION_KINDS } from '../../domain/ehr-notification.ts';

/**
 * The path's tenant is any short string here: a malformed one answers the same 401 as an unknown
 * one (the use case checks it), so the endpoint never tells which tenants exist.
 */
export const EhrNotificationPathSchema = z.object({ tenantId: z.string().max(100) });

/** Optional here so that a missing secret is the use case's 401, not a 400. */
export const EhrNotificationHeadersSchema = z.looseObject({
  'x-gradiant-notification-secret': z
    .string()
    .optional()
    .describe('The per-subscription secret set on the EHR Subscription channel header'),
});

/**
 * Judged by the use case, after the secret: an id-only notification Bundle, a bare resource
 * (`resourceType` and `id` only are read), or no body (an R4 ping).
 */
export const EhrNotificationBodySchema = z
  .unknown()
  .describe('A FHIR R4 id-only rest-hook notification Bundle, a bare resource, or empty');

export const EhrNotificationReceiptSchema = z.object({
  kind: z.enum(NOTIFICATION_KINDS),
  references: z.number().int().nonnegative(),
  ignored: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  gone: z.number().int().nonnegative(),
});

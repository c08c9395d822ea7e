import { z } from 'zod';
import { TENANT_EVENT_TYPES, type TenantEventType } from '../../domain/tenant-events.ts';

const TYPE_SET = new Set<string>(TENANT_EVENT_TYPES);

/**
 * `GET /v1/events?after=&types=&limit=`: `after` is the opaque cursor a page answered (absent:
 * from the oldest event kept), `types` a comma-separated subset of the tenant event types.
 */
export const EventsQuerySchema = z.object({
  after: z
    .string()
    .optional()
    .describe(
      "A page's `cursor`: resume after the last event it listed (absent: from the oldest event kept)",
    ),
  types: z
    .string()
    .max(512)
    .transform((value, context) => {
      const types = value.split(',').map((type) => type.trim());
      const unknown = types.filter((type) => !TYPE_SET.has(type));
      if (unknown.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `unknown event type; one of ${TENANT_EVENT_TYPES.join(', ')}`,
        });
        return z.NEVER;
      }
      return [...new Set(types)] as TenantEventType[];
    })
    .optional()
    .describe(`Comma-separated event types to list (absent: all of ${TENANT_EVENT_TYPES.join(', ')})`),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('Events per page'),
});

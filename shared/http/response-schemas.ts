import { z } from 'zod';

/**
 * Response shapes that belong to HTTP alone (pages, health, the OpenAPI document). The views use
 * cases answer have their schemas in the domain, where the use cases take their types from them.
 */
export const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({
    items: z.array(item),
    /** Absent on the last page; opaque, sealed and bound to tenant and list. */
    nextCursor: z.string().optional(),
  });

export const HealthSchema = z.object({
  status: z.literal('ok'),
  mode: z.string(),
  version: z.string(),
  node: z.string(),
  standIns: z.record(z.string(), z.string()),
});

export const OpenApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.unknown()),
});

import { z } from 'zod';

/**
 * Response shapes for OpenAPI. Where a domain schema exists the route record uses it; these cover
 * the views services assemble (pages, plugin pages, reports), named by the fields clients rely on
 * and open (`looseObject`) for the rest, so the document never promises less than is sent.
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

export const UsageSchema = z.looseObject({ pluginId: z.string() });

export const PluginPageSchema = z.looseObject({ pluginId: z.string(), name: z.string() });

export const ReleaseViewSchema = z.looseObject({ version: z.string(), status: z.string() });

export const ArtifactUploadSchema = z.looseObject({ uploadId: z.string() });

export const BlastRadiusSchema = z.looseObject({
  pluginId: z.string(),
  version: z.string(),
  status: z.string(),
  items: z.array(z.looseObject({ tenantId: z.string() })),
});

export const UpdateAvailableSchema = z.looseObject({ pluginId: z.string() });

export const PublisherKeyViewSchema = z.object({
  keyId: z.string(),
  publisherId: z.string(),
  createdAt: z.string(),
});

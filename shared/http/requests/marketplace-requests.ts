import { z } from 'zod';
import { PluginIdSchema } from '../../domain/identifiers.ts';
import { SemverSchema } from '../../domain/manifest.ts';
import { PublisherKeyIdSchema } from '../../domain/marketplace.ts';

/**
 * The marketplace routes' path, query and body schemas that are HTTP alone. Bodies that are a use
 * case's own input (publish, key registration, review) are domain schemas the routes reuse.
 */

export const PublisherKeyPathSchema = z.object({ keyId: PublisherKeyIdSchema });

export const RevokeRequestSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const DeprecateRequestSchema = z.object({ message: z.string().trim().min(1).max(500) }).strict();

export const UploadRequestSchema = z
  .object({ sizeBytes: z.number().int().min(1), sha256: z.string().regex(/^[a-f0-9]{64}$/) })
  .strict();

export const VersionsQuerySchema = z.object({
  prerelease: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('`true` lists pre-release versions too'),
});

/** Path parameters of the version routes; a bad id or version is a 400 naming the path segment. */
export const VersionPathSchema = z.object({ id: PluginIdSchema, version: SemverSchema });
export const PluginPathSchema = z.object({ id: PluginIdSchema });

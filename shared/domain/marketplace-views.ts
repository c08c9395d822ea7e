import { z } from 'zod';
import { ReleaseSecurityStatusSchema } from './dependency-scan.ts';
import { PluginIdSchema } from './identifiers.ts';
import { InstallationStateSchema } from './installation.ts';
import { PluginMetadataSchema, SemverSchema } from './manifest.ts';
import {
  PublisherIdSchema,
  RatingSummarySchema,
  RELEASE_STATUSES,
  ReleaseRecordSchema,
} from './marketplace.ts';
import { PermissionSchema } from './permissions.ts';

/**
 * What the marketplace answers, one schema per view: the use cases build these shapes and the
 * route records describe them (and the OpenAPI document with them), so neither can drift.
 */

const DeprecationSchema = z.object({ message: z.string(), at: z.iso.datetime() });

/** A search hit: what a results list shows. */
export const PluginSummarySchema = z.object({
  pluginId: PluginIdSchema,
  name: z.string(),
  description: z.string(),
  author: z.string(),
  tags: z.array(z.string()),
  publisherId: PublisherIdSchema,
  /** Absent while no version can be offered (all yanked or revoked). */
  latestVersion: z.string().optional(),
  downloads: z.number().int().nonnegative(),
  rating: z.object({ average: z.number().min(0).max(5), count: z.number().int().nonnegative() }),
  updatedAt: z.iso.datetime(),
  deprecated: DeprecationSchema.optional(),
  /** The publisher's verification (a search filter and facet). */
  publisherVerified: z.boolean(),
  /** The latest offered version's advisory status (a search facet). */
  securityStatus: ReleaseSecurityStatusSchema,
});
export type PluginSummary = z.infer<typeof PluginSummarySchema>;

const FacetCount = z.number().int().nonnegative();

/** A page of search hits with the total and the facets of every match, not just this page. */
export const SearchResultsSchema = z.object({
  items: z.array(PluginSummarySchema),
  nextCursor: z.string().optional(),
  total: z.number().int().nonnegative(),
  facets: z.object({
    tags: z.record(z.string(), FacetCount),
    verified: z.object({ true: FacetCount, false: FacetCount }),
    securityStatus: z.record(ReleaseSecurityStatusSchema, FacetCount),
  }),
});

export const VersionSummarySchema = z.object({
  version: SemverSchema,
  status: z.enum(RELEASE_STATUSES),
  isPrerelease: z.boolean(),
  isLatest: z.boolean(),
  publishedAt: z.iso.datetime(),
  sha256: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  permissions: z.array(PermissionSchema),
  revokedReason: z.string().optional(),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

/** The plugin page: manifest of the latest offered version, versions, permissions, counters, publisher. */
export const PluginPageSchema = PluginSummarySchema.extend({
  manifest: z
    .object({ id: PluginIdSchema, version: SemverSchema, metadata: PluginMetadataSchema })
    .optional(),
  permissions: z.array(PermissionSchema),
  versions: z.array(VersionSummarySchema),
  rating: RatingSummarySchema,
  publisher: z.object({ publisherId: PublisherIdSchema, displayName: z.string(), isVerified: z.boolean() }),
  lastUpdatedAt: z.iso.datetime(),
});
export type PluginPage = z.infer<typeof PluginPageSchema>;

/** An installed marketplace plugin with a newer offered version. */
export const UpdateAvailableSchema = z.object({
  pluginId: PluginIdSchema,
  installedVersion: SemverSchema,
  latestVersion: SemverSchema,
  publishedAt: z.iso.datetime(),
  /** Permissions the newer version asks for that the installed one does not: needs approval. */
  newPermissions: z.array(PermissionSchema),
});
export type UpdateAvailable = z.infer<typeof UpdateAvailableSchema>;

export const BlastRadiusTenantSchema = z.object({
  tenantId: z.string(),
  /** The tenant has this version installed now (in any state). */
  isInstalled: z.boolean(),
  installationState: InstallationStateSchema.optional(),
  invocations: z.number().int().nonnegative(),
  /** Ids only, as far as the audit records hold them; never record contents. */
  patientIds: z.array(z.string()),
});
export type BlastRadiusTenant = z.infer<typeof BlastRadiusTenantSchema>;

/** Tenants that installed or ran a version, with their invocation counts and touched patient ids. */
export const BlastRadiusReportSchema = z.object({
  pluginId: PluginIdSchema,
  version: SemverSchema,
  status: z.enum(RELEASE_STATUSES),
  publishedAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
  items: z.array(BlastRadiusTenantSchema),
});
export type BlastRadiusReport = z.infer<typeof BlastRadiusReportSchema>;

/** The kill switch's answer: the revoked release and what happened in each tenant that had it. */
export const RevocationReportSchema = z.object({
  release: ReleaseRecordSchema,
  tenants: z.array(
    z.object({
      tenantId: z.string(),
      outcome: z.enum(['disabled', 'failed']),
      /** Why disabling failed there (an error code); the next revocation retries it. */
      code: z.string().optional(),
    }),
  ),
});
export type RevocationReport = z.infer<typeof RevocationReportSchema>;
export type RevocationOutcome = RevocationReport['tenants'][number];

/**
 * Large artifacts go straight to S3 through a short-lived presigned PUT, into a staging key owned
 * by the publisher; publishing reads, checks and copies them into the content-addressed store.
 */
export const ArtifactUploadSchema = z.object({
  uploadId: z.string(),
  url: z.string(),
  method: z.literal('PUT'),
  headers: z.record(z.string(), z.string()),
  expiresAt: z.iso.datetime(),
});
export type ArtifactUpload = z.infer<typeof ArtifactUploadSchema>;

export const PublisherKeyViewSchema = z.object({
  keyId: z.string(),
  publisherId: PublisherIdSchema,
  createdAt: z.iso.datetime(),
});

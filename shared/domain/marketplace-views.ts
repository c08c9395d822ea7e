import { z } from 'zod';
import { AdvisoryFindingSchema, ReleaseSecurityStatusSchema } from './dependency-scan.ts';
import { PluginIdSchema } from './identifiers.ts';
import { InstallationStateSchema } from './installation.ts';
import { PluginMetadataSchema, SemverSchema } from './manifest.ts';
import {
  PublisherIdSchema,
  PublisherProfileSchema,
  RatingSummarySchema,
  RELEASE_STATUSES,
  ReleaseRecordSchema,
} from './marketplace.ts';
import { PermissionSchema } from './permissions.ts';
import { PublicVerificationSchema } from './publisher-verification.ts';

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

/** What a version's page and the updates list show of its latest advisory scan. */
export const SecuritySummarySchema = z.object({
  status: ReleaseSecurityStatusSchema,
  findings: z.array(AdvisoryFindingSchema),
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
  /** What changed, in the publisher's signed words. */
  releaseNotes: z.string().optional(),
  /** The latest advisory scan of this version; absent until it was scanned. */
  security: SecuritySummarySchema.optional(),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

/** The plugin page: manifest of the latest offered version, versions, permissions, counters, publisher. */
export const PluginPageSchema = PluginSummarySchema.extend({
  manifest: z
    .object({ id: PluginIdSchema, version: SemverSchema, metadata: PluginMetadataSchema })
    .optional(),
  /** The release notes of the version the manifest shows. */
  releaseNotes: z.string().optional(),
  permissions: z.array(PermissionSchema),
  versions: z.array(VersionSummarySchema),
  rating: RatingSummarySchema,
  publisher: z.object({
    publisherId: PublisherIdSchema,
    displayName: z.string(),
    isVerified: z.boolean(),
    /** While verified: how and when (the BAA reference itself only in the admin's answer). */
    verification: PublicVerificationSchema.optional(),
  }),
  lastUpdatedAt: z.iso.datetime(),
});
export type PluginPage = z.infer<typeof PluginPageSchema>;

/** The admin's answer to a verification or its revocation: the whole profile, and the entries re-stamped. */
export const PublisherVerificationViewSchema = PublisherProfileSchema.extend({
  /** The publisher's catalogue entries whose `publisherVerified` was written. */
  entriesUpdated: z.number().int().nonnegative(),
});
export type PublisherVerificationView = z.infer<typeof PublisherVerificationViewSchema>;

/** An installed marketplace plugin with a newer offered version. */
export const UpdateAvailableSchema = z.object({
  pluginId: PluginIdSchema,
  installedVersion: SemverSchema,
  latestVersion: SemverSchema,
  publishedAt: z.iso.datetime(),
  /** Permissions the newer version asks for that the installed one does not: needs approval. */
  newPermissions: z.array(PermissionSchema),
  /** The newer version's release notes: what changed, before a tenant admin updates. */
  releaseNotes: z.string().optional(),
  /**
   * Present when the installed version has advisory findings: it is listed then even without a
   * newer version (`latestVersion` is the installed one), so the tenant's admins see it.
   */
  installedVersionSecurity: SecuritySummarySchema.optional(),
  /** Present when the newer version itself has advisory findings: updating would not clear them. */
  latestVersionSecurity: SecuritySummarySchema.optional(),
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

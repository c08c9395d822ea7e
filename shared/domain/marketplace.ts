import { z } from 'zod';
import {
  DetectedComponentSchema,
  ReleaseSecuritySchema,
  ReleaseSecurityStatusSchema,
} from './dependency-scan.ts';
import { PluginIdSchema } from './identifiers.ts';
import { PluginMetadataSchema, SemverSchema } from './manifest.ts';
import { KeyPossessionProofSchema } from './publisher-key-proof.ts';
import {
  PublisherVerificationEvidenceSchema,
  PublisherVerificationRevocationSchema,
} from './publisher-verification.ts';
import { SignatureSchema } from './signatures.ts';

/** Publishers are identified by the tenant their token belongs to (the publishing organisation). */
export const PublisherIdSchema = z.string().min(1).max(128);

export const RELEASE_STATUSES = ['active', 'yanked', 'revoked'] as const;

/** One published version as stored in the catalogue. The artifact itself lives content-addressed in S3. */
export const ReleaseRecordSchema = z.object({
  pluginId: PluginIdSchema,
  version: SemverSchema,
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  publisherId: PublisherIdSchema,
  publisherKeyId: z.string().min(1).max(256),
  metadata: PluginMetadataSchema,
  status: z.enum(RELEASE_STATUSES),
  publishedAt: z.iso.datetime(),
  yankedAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
  revokedReason: z.string().max(500).optional(),
  /** Plain text the publisher signed with the artifact; shown before a tenant updates. */
  releaseNotes: z.string().max(2000).optional(),
  /** SHA-256 of the signed SBOM's exact bytes, when the publish sent one. */
  sbomSha256: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .optional(),
  /** What the scan found bundled (SBOM and content scan), kept for rescans. */
  components: z.array(DetectedComponentSchema).optional(),
  /** The latest scan against the advisory database; changes on rescans, beside the status. */
  security: ReleaseSecuritySchema.optional(),
});
export type ReleaseRecord = z.infer<typeof ReleaseRecordSchema>;

export const RatingSummarySchema = z.object({
  count: z.number().int().nonnegative(),
  sum: z.number().int().nonnegative(),
  average: z.number().min(0).max(5),
  /** Stars 1..5 → number of reviews giving them. */
  histogram: z.object({
    1: z.number().int(),
    2: z.number().int(),
    3: z.number().int(),
    4: z.number().int(),
    5: z.number().int(),
  }),
});
export type RatingSummary = z.infer<typeof RatingSummarySchema>;

/**
 * What search and the plugin page show about a plugin: the listing of its latest offered release,
 * plus the counters kept beside it. `latestVersion` is absent while no version can be offered.
 */
export const CatalogueEntrySchema = z.object({
  pluginId: PluginIdSchema,
  publisherId: PublisherIdSchema,
  name: z.string(),
  description: z.string(),
  author: z.string(),
  tags: z.array(z.string()),
  latestVersion: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  deprecated: z.object({ message: z.string(), at: z.iso.datetime() }).optional(),
  downloads: z.number().int().nonnegative(),
  rating: RatingSummarySchema,
  /** The publisher's verification, copied onto its entries so search can filter and facet on it. */
  publisherVerified: z.boolean().default(false),
  /** The latest offered version's scan status. */
  securityStatus: ReleaseSecurityStatusSchema.default('clean'),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

export const PublisherProfileSchema = z.object({
  publisherId: PublisherIdSchema,
  displayName: z.string().min(1).max(200),
  /** Set by a platform admin once the platform checked the domain proof; never by the publisher. */
  isVerified: z.boolean(),
  /** The latest check's evidence; kept after a revocation as history (then `isVerified` is false). */
  verification: PublisherVerificationEvidenceSchema.optional(),
  /** Set by a revocation, cleared by the next verification. */
  revocation: PublisherVerificationRevocationSchema.optional(),
});
export type PublisherProfile = z.infer<typeof PublisherProfileSchema>;

/**
 * The publish use case's input, as the publish route takes it: the artifact travels inline
 * (module text) or was uploaded beforehand through a presigned URL.
 */
export const PublishRequestSchema = z
  .object({
    id: PluginIdSchema,
    version: SemverSchema,
    metadata: z.unknown(),
    code: z.string().min(1).optional(),
    uploadId: z.uuid().optional(),
    signature: SignatureSchema,
    /** CycloneDX JSON SBOM of what the build bundled (shared/domain/dependency-scan.ts SbomSchema). */
    sbom: z.unknown().optional(),
    /** Plain text, at most 2,000 characters. */
    releaseNotes: z.string().max(2000).optional(),
  })
  .strict()
  .refine((request) => (request.code === undefined) !== (request.uploadId === undefined), {
    message: 'give exactly one of code (inline) or uploadId (presigned upload)',
    path: ['code'],
  });
export type PublishRequest = z.infer<typeof PublishRequestSchema>;

/** The public key and a proof that the caller holds its private key (shared/domain/publisher-key-proof.ts). */
export const RegisterPublisherKeyRequestSchema = z
  .object({ publicKeyPem: z.string().min(100).max(4096), proof: KeyPossessionProofSchema })
  .strict();
export type RegisterPublisherKeyRequest = z.infer<typeof RegisterPublisherKeyRequestSchema>;

/** `pk_` + 32 base64url characters of the key's SPKI digest (shared/domain/marketplace-keys.ts). */
export const PublisherKeyIdSchema = z.string().regex(/^pk_[A-Za-z0-9_-]{32}$/);

/** The descriptive part of a catalogue entry, recomputed from the releases after every change. */
export type CatalogueListing = Pick<
  CatalogueEntry,
  'name' | 'description' | 'author' | 'tags' | 'latestVersion' | 'updatedAt'
> &
  /** The publisher profile's state, copied with the listing when given (publish, yank, revoke). */
  Partial<Pick<CatalogueEntry, 'publisherVerified'>>;

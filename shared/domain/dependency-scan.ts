import { z } from 'zod';

/**
 * What the dependency scan works with: advisories in OSV format (https://ossf.github.io/osv-schema/)
 * for the npm ecosystem, the components a release really bundles (from its signed SBOM and from a
 * content scan of the bundle), and the findings that join the two.
 */

export const SEVERITIES = ['low', 'moderate', 'high', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);
export const isAtLeast = (severity: Severity, threshold: Severity): boolean =>
  severityRank(severity) >= severityRank(threshold);

const OsvEventSchema = z.union([
  z.object({ introduced: z.string() }).loose(),
  z.object({ fixed: z.string() }).loose(),
  z.object({ last_affected: z.string() }).loose(),
  z.object({ limit: z.string() }).loose(),
]);

/** The part of an OSV record the platform relies on; the rest of the record is kept as it came. */
export const OsvRecordSchema = z
  .object({
    id: z.string().min(1).max(128),
    modified: z.iso.datetime({ offset: true }),
    published: z.iso.datetime({ offset: true }).optional(),
    withdrawn: z.iso.datetime({ offset: true }).optional(),
    aliases: z.array(z.string().max(128)).max(50).optional(),
    summary: z.string().max(1000).optional(),
    severity: z.array(z.object({ type: z.string(), score: z.string() }).loose()).optional(),
    affected: z
      .array(
        z
          .object({
            package: z.object({ ecosystem: z.string(), name: z.string().min(1).max(214) }).loose(),
            ranges: z
              .array(z.object({ type: z.string(), events: z.array(OsvEventSchema) }).loose())
              .optional(),
            versions: z.array(z.string()).optional(),
            database_specific: z.record(z.string(), z.unknown()).optional(),
          })
          .loose(),
      )
      .max(500),
    database_specific: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type OsvRecord = z.infer<typeof OsvRecordSchema>;

/**
 * Where the scan learned that a component is in the bundle: the signed SBOM, the bundle's own
 * text, or the manifest's `metadata.dependencies` (the publisher's word, still scanned).
 */
export const COMPONENT_SOURCES = ['sbom', 'bundle-content', 'manifest'] as const;

/** One npm package at one version that a release bundles. */
export const DetectedComponentSchema = z.object({
  name: z.string().min(1).max(214),
  version: z.string().min(1).max(64),
  source: z.enum(COMPONENT_SOURCES),
});
export type DetectedComponent = z.infer<typeof DetectedComponentSchema>;

/** A bundled component affected by an advisory: what a refusal and an `advisory` status name. */
export const AdvisoryFindingSchema = z.object({
  advisoryId: z.string(),
  package: z.string(),
  version: z.string(),
  severity: SeveritySchema,
  summary: z.string().max(1000).optional(),
});
export type AdvisoryFinding = z.infer<typeof AdvisoryFindingSchema>;

export const RELEASE_SECURITY_STATUSES = ['clean', 'advisory'] as const;
export const ReleaseSecurityStatusSchema = z.enum(RELEASE_SECURITY_STATUSES);
export type ReleaseSecurityStatus = z.infer<typeof ReleaseSecurityStatusSchema>;

/** The latest scan of a release against the advisory database (publish, then every rescan). */
export const ReleaseSecuritySchema = z.object({
  status: ReleaseSecurityStatusSchema,
  findings: z.array(AdvisoryFindingSchema),
  scannedAt: z.iso.datetime(),
  /** The advisory database version the scan used: a rescan skips releases already scanned with it. */
  databaseVersion: z.string(),
});
export type ReleaseSecurity = z.infer<typeof ReleaseSecuritySchema>;

/**
 * The CycloneDX JSON SBOM (https://cyclonedx.org/docs/1.6/json/) a build writes, as far as the scan
 * reads it: npm components by name (and group, for scoped packages) and version.
 */
export const MAX_SBOM_COMPONENTS = 2000;
export const SbomSchema = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    specVersion: z.string().regex(/^1\.[0-9]+$/),
    components: z
      .array(
        z
          .object({
            type: z.string(),
            name: z.string().min(1).max(214),
            group: z.string().max(214).optional(),
            version: z.string().min(1).max(64),
            purl: z.string().max(1000).optional(),
          })
          .loose(),
      )
      .max(MAX_SBOM_COMPONENTS)
      .default([]),
  })
  .loose();
export type Sbom = z.infer<typeof SbomSchema>;

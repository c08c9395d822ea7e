import { z } from 'zod';

/** A release statement as stored: the exact signed bytes (canonical JSON) and the signature. */
export interface SignedStatement {
  readonly payload: string;
  readonly keyId: string;
  readonly signature: string;
}

/**
 * What the platform vouches for when the marketplace accepts a release. Signed with the platform
 * key (KMS) over the exact `payload` bytes; the provenance verifier checks it against the artifact.
 */
export const ReleaseStatementSchema = z.object({
  pluginId: z.string(),
  version: z.string(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  publisher: z.string(),
  permissions: z.array(z.string()),
  publishedAt: z.iso.datetime(),
  /** Only in statements of releases that carried them, so older statements keep their bytes. */
  releaseNotes: z.string().optional(),
  sbomSha256: z
    .string()
    .regex(/^[a-f0-9]{64}$/)
    .optional(),
});
export type ReleaseStatement = z.infer<typeof ReleaseStatementSchema>;

/**
 * Canonical bytes: fixed key order, no whitespace, so every signer and verifier agrees. The
 * members added later come last and only when present: a statement without them is byte for
 * byte what it always was.
 */
export function serializeStatement(statement: ReleaseStatement): string {
  const { pluginId, version, sha256, publisher, permissions, publishedAt, releaseNotes, sbomSha256 } =
    statement;
  return JSON.stringify({
    pluginId,
    version,
    sha256,
    publisher,
    permissions,
    publishedAt,
    ...(releaseNotes === undefined ? {} : { releaseNotes }),
    ...(sbomSha256 === undefined ? {} : { sbomSha256 }),
  });
}

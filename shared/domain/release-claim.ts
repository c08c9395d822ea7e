import { canonicalJson } from './audit-chain/chain-format.ts';
import { sha256Hex } from './signatures.ts';

/**
 * What a publisher signs when a release carries more than its artifact: the artifact's digest and
 * the SBOM's, and the release notes, so none of them can be swapped after signing. The prefix
 * makes the signed bytes something no plugin module can be (a module does not start with it), so
 * a claim signature never passes as a signature over module bytes, nor the reverse.
 */
export const RELEASE_CLAIM_PREFIX = 'gradiant-release-claim/v1\n';

export interface ReleaseClaim {
  readonly pluginId: string;
  readonly version: string;
  readonly artifactSha256: string;
  readonly sbomSha256?: string | undefined;
  readonly releaseNotes?: string | undefined;
}

/** The SBOM's digest: SHA-256 of its RFC 8785 canonical JSON, so formatting does not change it. */
export const sbomSha256Of = (sbom: unknown): string => sha256Hex(canonicalJson(sbom));

/** A publish signs a claim when it sends an SBOM or release notes; otherwise the artifact bytes. */
export const isClaimSigned = (release: {
  readonly sbom?: unknown;
  readonly releaseNotes?: unknown;
}): boolean => release.sbom !== undefined || release.releaseNotes !== undefined;

/** The exact bytes a claim signature covers. Absent members are left out, never null. */
export function releaseClaimBytes(claim: ReleaseClaim): Uint8Array {
  const { pluginId, version, artifactSha256, sbomSha256, releaseNotes } = claim;
  const members = {
    pluginId,
    version,
    artifactSha256,
    ...(sbomSha256 === undefined ? {} : { sbomSha256 }),
    ...(releaseNotes === undefined ? {} : { releaseNotes }),
  };
  return new TextEncoder().encode(RELEASE_CLAIM_PREFIX + canonicalJson(members));
}

import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { artifactUnverified } from '../../domain/errors/package-errors.ts';
import type { Installation } from '../../domain/installation.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { ArtifactStore } from '../../ports/artifact-store.ts';
import { PUBLISHER_KEY_MAX_AGE_MS } from '../provenance/provenance-keys.ts';
import type { ProvenanceClaim, ProvenanceVerifier } from '../provenance/provenance-verifier.ts';

const MAX_VERIFIED_ENTRIES = 64;
/** A run accepts a publisher key record up to a minute old: revocation stops its code within that. */
const RUN_OPTIONS = { publisherKeyMaxAgeMs: PUBLISHER_KEY_MAX_AGE_MS };

/**
 * Loads an installation's artifact and proves its provenance before first use, through the
 * provenance verifier: the bytes hash to the installed digest, and either the platform release
 * statement binds that digest to this plugin and version, or the recorded signature (the
 * platform's, or a publisher key the tenant's policy still trusts) covers the bytes. Verified code
 * is cached by digest and provenance, so a second installation that claims the same digest with
 * other provenance is verified on its own. A publisher-signed entry asks the verifier on every
 * run whether the tenant still trusts its key and the key is live (the verifier's key cache
 * answers from a record at most a minute old), so a revoked key stops its code within a minute,
 * as the kill switch stops a revoked version, and a tightened policy stops it on the next run.
 */
export class VerifiedArtifactLoader {
  private readonly artifacts: ArtifactStore;
  private readonly provenance: ProvenanceVerifier;
  private readonly verified = new Map<string, string>();

  constructor(deps: { artifacts: ArtifactStore; provenance: ProvenanceVerifier }) {
    this.artifacts = deps.artifacts;
    this.provenance = deps.provenance;
  }

  /** The plugin's source text, or an ARTIFACT_UNVERIFIED refusal. Infrastructure failures reject as they are. */
  async load(installation: Installation, policy: TenantPolicy): Promise<string> {
    const { tenantId, pluginId, version, sha256, provenance } = installation;
    const cacheKey = JSON.stringify([sha256, pluginId, version, provenance]);
    const trust = { kind: 'tenant', tenantId, policy } as const;
    const cached = this.verified.get(cacheKey);
    if (cached !== undefined) {
      if (provenance.kind === 'publisher') {
        const check = await this.provenance.checkPublisherKey(provenance.signature.keyId, trust, RUN_OPTIONS);
        if (check.refusal) {
          this.verified.delete(cacheKey);
          throw artifactUnverified(check.refusal.message);
        }
      }
      return cached;
    }

    const bytes = await this.readArtifact(sha256);
    const claim: ProvenanceClaim =
      provenance.kind === 'publisher'
        ? { kind: 'signature', signature: provenance.signature, trust }
        : provenance.signature
          ? { kind: 'signature', signature: provenance.signature, trust: { kind: 'platform' } }
          : { kind: 'release', statement: await this.artifacts.getStatement(pluginId, version) };
    const result = await this.provenance.verify({ pluginId, version, sha256, bytes }, claim, RUN_OPTIONS);
    if (!result.isProven) throw artifactUnverified(result.refusal.message);
    const code = decode(bytes);
    this.verified.set(cacheKey, code);
    if (this.verified.size > MAX_VERIFIED_ENTRIES) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    return code;
  }

  private async readArtifact(sha256: string): Promise<Uint8Array> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.artifacts.getArtifact(sha256);
    } catch (error) {
      if (hasErrorCode(error, 'ARTIFACT_TAMPERED')) {
        throw artifactUnverified('The stored artifact does not match its digest.', error);
      }
      throw error;
    }
    if (!bytes) throw artifactUnverified('The artifact is missing from the store.');
    return bytes;
  }
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw artifactUnverified('The artifact is not UTF-8 text.', error);
  }
}

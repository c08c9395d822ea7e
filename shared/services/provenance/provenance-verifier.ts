import { provenanceRefused } from '../../domain/errors/package-errors.ts';
import type { ArtifactProvenance } from '../../domain/installation.ts';
import { isPublisherKeyTrusted } from '../../domain/policy-rules.ts';
import type { ProvenanceRefusal, SignerTrust } from '../../domain/provenance.ts';
import { ReleaseStatementSchema, type SignedStatement } from '../../domain/release-statement.ts';
import { type Signature, sha256Hex, verifyP256Signature } from '../../domain/signatures.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';
import { type LoadedPublisherKey, ProvenanceKeys } from './provenance-keys.ts';
import { provenanceRefusals as refusals } from './provenance-refusals.ts';

/** The bytes to prove, and the plugin, version and digest they are claimed to be. */
export interface ProvenanceSubject {
  readonly pluginId: string;
  readonly version: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
}

/** What vouches for the bytes: the platform's release statement, or a signature over the bytes. */
export type ProvenanceClaim =
  | { readonly kind: 'release'; readonly statement: SignedStatement | undefined }
  | { readonly kind: 'signature'; readonly signature: Signature | undefined; readonly trust: SignerTrust };

export type ProvenanceResult =
  | { readonly isProven: true; readonly provenance: ArtifactProvenance }
  | { readonly isProven: false; readonly refusal: ProvenanceRefusal };

export interface ProvenanceOptions {
  /** How old a cached publisher key record may be; 0 (the default) reads it through. */
  readonly publisherKeyMaxAgeMs?: number | undefined;
}

type PublisherTrust = Exclude<SignerTrust, { kind: 'platform' }>;
type KeyCheck =
  | { readonly refusal: ProvenanceRefusal; readonly key?: undefined }
  | { readonly refusal?: undefined; readonly key: LoadedPublisherKey };

const refused = (refusal: ProvenanceRefusal): ProvenanceResult => ({ isProven: false, refusal });
const proven = (provenance: ArtifactProvenance): ProvenanceResult => ({ isProven: true, provenance });

/**
 * The one answer to "where does this code come from?", used by direct installs, marketplace
 * installs, publishing and the execution loader alike. Bytes are proven by a platform-signed
 * release statement that binds their digest to this plugin and version, by a platform signature
 * over them, or by the signature of a publisher key the caller's trust admits. Keys come from the
 * one per-instance cache (ProvenanceKeys). Refusals are typed values; `prove` throws them.
 */
export class ProvenanceVerifier {
  private readonly keys: ProvenanceKeys;

  constructor(deps: { signer: ReleaseSigner; publisherKeys: PublisherKeyRepository; clock: Clock }) {
    this.keys = new ProvenanceKeys(deps);
  }

  /** The provenance to record, or provenanceRefused (a 422 through the problem table). */
  async prove(
    subject: ProvenanceSubject,
    claim: ProvenanceClaim,
    options?: ProvenanceOptions,
  ): Promise<ArtifactProvenance> {
    const result = await this.verify(subject, claim, options);
    if (!result.isProven) throw provenanceRefused(result.refusal);
    return result.provenance;
  }

  async verify(
    subject: ProvenanceSubject,
    claim: ProvenanceClaim,
    options: ProvenanceOptions = {},
  ): Promise<ProvenanceResult> {
    // Checked here too: a store's own digest check is one adapter away from being skipped.
    if (sha256Hex(subject.bytes) !== subject.sha256) return refused(refusals.artifactTampered());
    if (claim.kind === 'release') return this.verifyRelease(subject, claim.statement);
    const { signature, trust } = claim;
    if (!signature) return refused(refusals.signatureRequired());
    const platformKey = trust.kind === 'owner' ? undefined : this.keys.platformKey(signature.keyId);
    if (platformKey) {
      return verifyP256Signature(await platformKey, subject.bytes, signature.signature)
        ? proven({ kind: 'platform', keyId: signature.keyId, signature })
        : refused(refusals.platformSignatureInvalid());
    }
    if (trust.kind === 'platform') return refused(refusals.platformKeyRequired());
    const check = await this.checkPublisherKey(signature.keyId, trust, options);
    if (check.refusal) return refused(check.refusal);
    const { publicKey, record } = check.key;
    if (!publicKey || !verifyP256Signature(publicKey, subject.bytes, signature.signature)) {
      return refused(refusals.publisherSignatureInvalid(trust.kind));
    }
    return proven({ kind: 'publisher', signature, publisherId: record.publisherId });
  }

  /**
   * Whether the caller's trust admits this publisher key, live, right now: the tenant policy's
   * signature level first (no key read when it admits none), then trust, then revocation, so that
   * only a caller who trusts a key learns it was revoked.
   */
  async checkPublisherKey(
    keyId: string,
    trust: PublisherTrust,
    options: ProvenanceOptions = {},
  ): Promise<KeyCheck> {
    if (trust.kind === 'tenant' && trust.policy.minimumSignatureLevel !== 'publisher') {
      return { refusal: refusals.publisherSignaturesNotAdmitted() };
    }
    const key = await this.keys.publisherKey(keyId, options.publisherKeyMaxAgeMs ?? 0);
    const isTrusted =
      key !== undefined &&
      (trust.kind === 'owner'
        ? key.record.publisherId === trust.publisherId
        : isPublisherKeyTrusted(trust.policy, trust.tenantId, key.record));
    if (!key || !isTrusted) return { refusal: refusals.untrustedPublisherKey(trust.kind) };
    if (key.record.revokedAt !== undefined) return { refusal: refusals.publisherKeyRevoked(trust.kind) };
    return { key };
  }

  /** Signed by the platform key, and about exactly this plugin, version and digest. */
  private async verifyRelease(
    subject: ProvenanceSubject,
    signed: SignedStatement | undefined,
  ): Promise<ProvenanceResult> {
    if (!signed) return refused(refusals.statementMissing());
    const platformKey = this.keys.platformKey(signed.keyId);
    if (!platformKey) return refused(refusals.statementKeyUnknown());
    if (!verifyP256Signature(await platformKey, Buffer.from(signed.payload, 'utf8'), signed.signature)) {
      return refused(refusals.statementSignatureInvalid());
    }
    const statement = ReleaseStatementSchema.safeParse(parseJson(signed.payload));
    if (!statement.success) return refused(refusals.statementMalformed());
    if (statement.data.pluginId !== subject.pluginId || statement.data.version !== subject.version) {
      return refused(refusals.statementForOtherRelease());
    }
    if (statement.data.sha256 !== subject.sha256) return refused(refusals.statementDigestMismatch());
    return proven({ kind: 'platform', keyId: signed.keyId });
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

import type { KeyObject } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import type { Installation } from '../../domain/installation.ts';
import { verifyReleaseStatement } from '../../domain/release-statement.ts';
import { parseP256PublicKey, sha256Hex, verifyP256Signature } from '../../domain/signatures.ts';
import type { ArtifactStore } from '../../ports/artifact-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';
import { REVOCATION_CACHE_MS } from './revocation-cache.ts';

const MAX_VERIFIED_ENTRIES = 64;

interface VerifiedEntry {
  readonly code: string;
  /** When the publisher key was last seen live; platform provenance needs no key. */
  keyCheckedAt: number;
}

/** The artifact could not be proven to be what the tenant installed: it must never run. */
export class ArtifactUnverifiedError extends DomainError {
  constructor(message: string, cause?: unknown) {
    super('ARTIFACT_UNVERIFIED', message, { cause });
  }
}

/**
 * Loads an installation's artifact and proves its provenance before first use: the bytes hash to
 * the installed digest, and either a platform release statement (checked with the platform public
 * key, fetched once per instance) binds that digest to this plugin and version, or the trusted
 * publisher key's signature covers the bytes. Verified code is cached by digest and provenance, so
 * a second installation that claims the same digest with other provenance is verified on its own.
 * A publisher key can be revoked after that, so a cached publisher-signed entry re-reads its key
 * at most every REVOCATION_CACHE_MS: a revoked key stops its code within a minute, as the kill
 * switch stops a revoked version.
 */
export class VerifiedArtifactLoader {
  private readonly artifacts: ArtifactStore;
  private readonly signer: ReleaseSigner;
  private readonly publisherKeys: PublisherKeyRepository;
  private readonly clock: Clock;
  private readonly verified = new Map<string, VerifiedEntry>();
  private platformKey: Promise<KeyObject> | undefined;

  constructor(deps: {
    artifacts: ArtifactStore;
    signer: ReleaseSigner;
    publisherKeys: PublisherKeyRepository;
    clock: Clock;
  }) {
    this.artifacts = deps.artifacts;
    this.signer = deps.signer;
    this.publisherKeys = deps.publisherKeys;
    this.clock = deps.clock;
  }

  /** The plugin's source text, or ArtifactUnverifiedError. Infrastructure failures reject as they are. */
  async load(installation: Installation): Promise<string> {
    const cacheKey = JSON.stringify([
      installation.sha256,
      installation.pluginId,
      installation.version,
      installation.provenance,
    ]);
    const provenance = installation.provenance;
    const cached = this.verified.get(cacheKey);
    if (cached !== undefined) {
      if (provenance.kind === 'publisher')
        await this.recheckPublisherKey(cacheKey, cached, provenance.signature.keyId);
      return cached.code;
    }

    const bytes = await this.readArtifact(installation.sha256);
    if (provenance.kind === 'publisher') await this.verifyPublisherSignature(provenance.signature, bytes);
    else if (provenance.signature) await this.verifyPlatformSignature(provenance.signature.signature, bytes);
    else await this.verifyRelease(installation);
    const code = decode(bytes);
    this.verified.set(cacheKey, { code, keyCheckedAt: this.clock.now().getTime() });
    if (this.verified.size > MAX_VERIFIED_ENTRIES) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    return code;
  }

  private async recheckPublisherKey(cacheKey: string, entry: VerifiedEntry, keyId: string): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - entry.keyCheckedAt < REVOCATION_CACHE_MS) return;
    const key = await this.publisherKeys.get(keyId);
    if (!key || key.revokedAt) {
      this.verified.delete(cacheKey);
      throw new ArtifactUnverifiedError('The publisher key is unknown or revoked.');
    }
    entry.keyCheckedAt = now;
  }

  private async readArtifact(sha256: string): Promise<Uint8Array> {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await this.artifacts.getArtifact(sha256);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'ARTIFACT_TAMPERED') {
        throw new ArtifactUnverifiedError('The stored artifact does not match its digest.', error);
      }
      throw error;
    }
    if (!bytes) throw new ArtifactUnverifiedError('The artifact is missing from the store.');
    // Checked here too: the store's own check is one adapter away from being skipped.
    if (sha256Hex(bytes) !== sha256)
      throw new ArtifactUnverifiedError('The stored artifact does not match its digest.');
    return bytes;
  }

  private async verifyRelease(installation: Installation): Promise<void> {
    const statement = await this.artifacts.getStatement(installation.pluginId, installation.version);
    if (!statement)
      throw new ArtifactUnverifiedError('No platform release statement exists for this version.');
    try {
      verifyReleaseStatement(
        statement,
        { keyId: this.signer.keyId, publicKey: await this.publicKey() },
        { pluginId: installation.pluginId, version: installation.version, sha256: installation.sha256 },
      );
    } catch (error) {
      if (error instanceof DomainError || error instanceof SyntaxError) {
        throw new ArtifactUnverifiedError(
          'The platform release statement does not vouch for this artifact.',
          error,
        );
      }
      throw error;
    }
  }

  /** A direct install the platform key signed: the signature covers the bytes themselves. */
  private async verifyPlatformSignature(signature: string, bytes: Uint8Array): Promise<void> {
    if (!verifyP256Signature(await this.publicKey(), bytes, signature)) {
      throw new ArtifactUnverifiedError('The platform signature does not match the artifact.');
    }
  }

  private async verifyPublisherSignature(
    signature: { keyId: string; signature: string },
    bytes: Uint8Array,
  ): Promise<void> {
    const key = await this.publisherKeys.get(signature.keyId);
    if (!key || key.revokedAt) throw new ArtifactUnverifiedError('The publisher key is unknown or revoked.');
    let publicKey: KeyObject;
    try {
      publicKey = parseP256PublicKey(key.publicKeyPem);
    } catch (error) {
      throw new ArtifactUnverifiedError('The publisher key is not an ECDSA P-256 key.', error);
    }
    if (!verifyP256Signature(publicKey, bytes, signature.signature)) {
      throw new ArtifactUnverifiedError('The publisher signature does not match the artifact.');
    }
  }

  /** Fetched once for the instance's life (no KMS call per verification); a failed fetch is retried. */
  private publicKey(): Promise<KeyObject> {
    this.platformKey ??= this.signer.publicKeyPem().then(parseP256PublicKey);
    this.platformKey.catch(() => {
      this.platformKey = undefined;
    });
    return this.platformKey;
  }
}

function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ArtifactUnverifiedError('The artifact is not UTF-8 text.', error);
  }
}

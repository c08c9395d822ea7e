import { notPluginOwner, uploadNotFound, versionExists } from '../../domain/errors/marketplace-errors.ts';
import { invalidArtifact } from '../../domain/errors/package-errors.ts';
import { validationErrorFrom } from '../../domain/errors/request-errors.ts';
import type { PublishRequest, ReleaseRecord } from '../../domain/marketplace.ts';
import { isClaimSigned, releaseClaimBytes } from '../../domain/release-claim.ts';
import { ReleaseNotesSchema } from '../../domain/release-notes.ts';
import { serializeStatement } from '../../domain/release-statement.ts';
import { sha256Hex } from '../../domain/signatures.ts';
import { appendToOutbox, audited } from '../audit/audit-trail.ts';
import type { ProvenanceSubject } from '../provenance/provenance-verifier.ts';
import {
  MAX_ARTIFACT_BYTES,
  type ValidatedPackage,
  validatePluginPackage,
} from '../validation/validate-plugin-package.ts';
import {
  actorIdOf,
  type MarketplaceActor,
  type MarketplaceDependencies,
  publisherIdOf,
} from './marketplace-dependencies.ts';
import { refreshListing } from './refresh-listing.ts';

async function artifactText(
  request: PublishRequest,
  publisherId: string,
  deps: MarketplaceDependencies,
): Promise<string> {
  if (request.code !== undefined) return request.code;
  const bytes = await deps.uploads.readUpload(publisherId, request.uploadId as string, MAX_ARTIFACT_BYTES);
  if (!bytes) throw uploadNotFound();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw invalidArtifact('The artifact must be UTF-8 module text.', 'uploadId', cause);
  }
}

/** Release notes are plain text; they are kept exactly as sent, since that is what was signed. */
function releaseNotesOf(request: PublishRequest): string | undefined {
  if (request.releaseNotes === undefined) return undefined;
  const notes = ReleaseNotesSchema.safeParse(request.releaseNotes);
  if (!notes.success) throw validationErrorFrom(notes.error, 'releaseNotes');
  return request.releaseNotes;
}

/**
 * What the publisher's signature must cover: the artifact bytes, as ever, or, when the publish
 * also carries an SBOM or release notes, the release claim that binds them to the artifact's
 * digest (shared/domain/release-claim.ts).
 */
function signedSubjectOf(validated: ValidatedPackage, releaseNotes: string | undefined): ProvenanceSubject {
  const { id: pluginId, version, sha256, bytes } = validated;
  if (!isClaimSigned({ sbom: validated.sbom, releaseNotes })) return { pluginId, version, sha256, bytes };
  const claim = releaseClaimBytes({
    pluginId,
    version,
    artifactSha256: sha256,
    sbomSha256: validated.sbomSha256,
    releaseNotes,
  });
  return { pluginId, version, sha256: sha256Hex(claim), bytes: claim };
}

/**
 * Publishing, cheapest refusal first: ownership of the id (a publisher that does not own it must
 * never learn how its package would fare, nor make the platform read an upload, validate or scan
 * for it), then the shared validation pipeline (manifest, size, shape, SBOM, dependency scan), then
 * the publisher's signature over the exact artifact bytes (or the release claim, with an SBOM or
 * release notes), then the platform's signed release
 * statement. The catalogue write claims the version first, so two concurrent publishes of one
 * version cannot both store a statement: the loser gets 409 before anything is written to S3.
 * The success record commits with the listing that offers the release, the last write; a publish
 * that stops before it leaves its claim with a failure record instead.
 */
export function publishRelease(
  request: PublishRequest,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<ReleaseRecord> {
  const publisherId = publisherIdOf(actor);
  return audited(
    deps,
    {
      action: 'marketplace:publish',
      actor: actorIdOf(actor),
      tenantId: actor.tenantId,
      // Names the publisher, so the access monitor counts its failed publishes across tenants.
      publisherId,
      pluginId: request.id,
      version: request.version,
      requestId: actor.requestId,
    },
    async (commit) => {
      const entry = await deps.catalogue.getEntry(request.id);
      if (entry && entry.publisherId !== publisherId) throw notPluginOwner();
      const code = await artifactText(request, publisherId, deps);
      const validated = await validatePluginPackage(
        { id: request.id, version: request.version, code, metadata: request.metadata, sbom: request.sbom },
        deps,
      );
      const releaseNotes = releaseNotesOf(request);
      await deps.provenance.prove(signedSubjectOf(validated, releaseNotes), {
        kind: 'signature',
        signature: request.signature,
        trust: { kind: 'owner', publisherId },
      });
      const existing = await deps.catalogue.getRelease(validated.id, validated.version);
      const release: ReleaseRecord = existing ?? {
        pluginId: request.id,
        version: validated.version,
        sha256: validated.sha256,
        sizeBytes: validated.bytes.byteLength,
        publisherId,
        publisherKeyId: request.signature.keyId,
        metadata: validated.metadata,
        status: 'active',
        publishedAt: deps.clock.now().toISOString(),
        ...(releaseNotes === undefined ? {} : { releaseNotes }),
        ...(validated.sbomSha256 === undefined ? {} : { sbomSha256: validated.sbomSha256 }),
        components: [...validated.components],
        ...(validated.security ? { security: validated.security } : {}),
      };
      if (existing) {
        // Only a publish that stopped after claiming the version (no statement yet) may be
        // completed, and only with the very same bytes: released versions stay immutable.
        const isUnfinished =
          existing.sha256 === validated.sha256 &&
          existing.publisherId === publisherId &&
          (await deps.artifacts.getStatement(existing.pluginId, existing.version)) === undefined;
        if (!isUnfinished) throw versionExists();
      } else {
        await deps.catalogue.createRelease(release);
      }
      await deps.artifacts.putArtifact(validated.bytes);
      const payload = serializeStatement({
        pluginId: release.pluginId,
        version: release.version,
        sha256: release.sha256,
        publisher: publisherId,
        permissions: release.metadata.permissions,
        publishedAt: release.publishedAt,
        releaseNotes: release.releaseNotes,
        sbomSha256: release.sbomSha256,
      });
      const signature = await deps.signer.sign(Buffer.from(payload, 'utf8'));
      await deps.artifacts.putStatement(release.pluginId, release.version, {
        payload,
        keyId: deps.signer.keyId,
        signature,
      });
      // The release is published once it is listed: its record commits with the listing.
      const outbox = commit();
      const isListed = await refreshListing(release.pluginId, deps, outbox);
      if (!isListed) await appendToOutbox(deps, outbox);
      return release;
    },
  );
}

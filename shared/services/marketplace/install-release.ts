import { createPublicKey, type KeyObject } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import type { Installation } from '../../domain/installation.ts';
import { versionNotFound, versionRevoked, versionYanked } from '../../domain/marketplace-errors.ts';
import { ReleaseVerificationError, verifyReleaseStatement } from '../../domain/release-statement.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';
import { audited } from '../audited.ts';
import {
  actorIdOf,
  type MarketplaceActor,
  type MarketplaceDependencies,
} from './marketplace-dependencies.ts';

const artifactMissing = () =>
  new DomainError('ARTIFACT_TAMPERED', 'The release artifact is missing from the store.', {
    field: 'version',
  });

/** The platform public key, fetched once per instance: verifying never calls KMS. */
const publicKeys = new WeakMap<ReleaseSigner, Promise<KeyObject>>();
function platformKeyOf(signer: ReleaseSigner): Promise<KeyObject> {
  let key = publicKeys.get(signer);
  if (!key) {
    key = signer.publicKeyPem().then((pem) => createPublicKey(pem));
    key.catch(() => publicKeys.delete(signer));
    publicKeys.set(signer, key);
  }
  return key;
}

/**
 * Installs a marketplace release into the caller's tenant through the lifecycle service. The
 * artifact and its signed statement are checked here before any tenant state changes (the store
 * may have been tampered with), and the lifecycle checks the statement again with tenant policy.
 */
export function downloadAndInstall(
  pluginId: string,
  version: string,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<Installation> {
  return audited(
    deps,
    {
      action: 'marketplace:install',
      actor: actorIdOf(actor),
      tenantId: actor.tenantId,
      pluginId,
      version,
      requestId: actor.requestId,
    },
    async () => {
      const release = await deps.catalogue.getRelease(pluginId, version);
      if (!release) throw versionNotFound();
      if (release.status === 'revoked') throw versionRevoked();
      if (release.status === 'yanked') throw versionYanked();
      const statement = await deps.artifacts.getStatement(pluginId, version);
      if (!statement) throw new ReleaseVerificationError('The release has no signed statement.');
      const bytes = await deps.artifacts.getArtifact(release.sha256);
      if (!bytes) throw artifactMissing();
      verifyReleaseStatement(
        statement,
        { keyId: deps.signer.keyId, publicKey: await platformKeyOf(deps.signer) },
        { pluginId, version, sha256: release.sha256 },
      );
      const installer = deps.installerFor({
        tenantId: actor.tenantId,
        actorId: actor.userId,
        requestId: actor.requestId,
      });
      const installation = await installer.installPlugin({
        id: pluginId,
        version,
        code: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
        metadata: release.metadata,
        release: statement,
      });
      await deps.catalogue.incrementDownloads(pluginId);
      return installation;
    },
  );
}

import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { platformActor } from '../../../shared/domain/actors.ts';
import { publisherKeyIdOf } from '../../../shared/domain/marketplace-keys.ts';
import { proveKeyPossession } from '../../../shared/domain/prove-key-possession.ts';
import { releaseClaimBytes, sbomSha256Of } from '../../../shared/domain/release-claim.ts';
import { sha256Hex } from '../../../shared/domain/signatures.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { MarketplaceCatalogue } from '../../../shared/ports/marketplace-catalogue.ts';
import type { PluginMarketplaceService } from '../../../shared/services/marketplace/plugin-marketplace-service.ts';
import type { DemoPluginBuild } from './demo-plugins.ts';

export const DEMO_PUBLISHER_ID = 'gradiant-demo';
/** A `.localhost` domain: the local well-known stand-in serves its proof (no public DNS here). */
export const DEMO_PUBLISHER_DOMAIN = 'demo.gradiant.localhost';

function loadOrCreateKey(path: string): KeyObject {
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  return createPrivateKey(readFileSync(path));
}

/**
 * Publishes the demo plugins (the builds of `examples/`) through the real publishing path
 * (publisher key registration, a signature over the release claim that binds artifact and SBOM,
 * validation, dependency scan, platform-signed statement), as the verified demo publisher. Versions that
 * exist already are skipped, so it is safe on every start. The demo publisher is seeded verified
 * with the evidence a well-known check of its `.localhost` domain writes, once: an admin's later
 * revocation survives restarts. Its profile comes first, so each publish lists it verified.
 */
export async function seedDemoMarketplace(options: {
  marketplace: PluginMarketplaceService;
  catalogue: MarketplaceCatalogue;
  publisherKeyFile: string;
  /** What to publish, in order: `buildDemoPlugins()` at start. */
  plugins: readonly DemoPluginBuild[];
  /** The clock the marketplace checks the key proof against. */
  clock: Clock;
}): Promise<{ published: string[] }> {
  const privateKey = loadOrCreateKey(options.publisherKeyFile);
  const publicKey = createPublicKey(privateKey);
  const actor = {
    tenantId: DEMO_PUBLISHER_ID,
    userId: 'demo-publisher',
    scopes: new Set(['marketplace:publish']),
    requestId: 'demo-seed',
  };
  if (!(await options.catalogue.getPublisher(DEMO_PUBLISHER_ID)))
    await options.catalogue.putPublisher({
      publisherId: DEMO_PUBLISHER_ID,
      displayName: 'Gradiant Demo Publisher',
      isVerified: true,
      verification: {
        method: 'well-known',
        domain: DEMO_PUBLISHER_DOMAIN,
        checkedAt: options.clock.now().toISOString(),
        verifiedBy: platformActor('demo-seed'),
      },
    });
  await options.marketplace.registerPublisherKey(
    proveKeyPossession(privateKey, DEMO_PUBLISHER_ID, options.clock.now()),
    actor,
  );
  const published: string[] = [];
  for (const { manifest, code, sbom } of options.plugins) {
    if (await options.catalogue.getRelease(manifest.id, manifest.version)) continue;
    const claim = releaseClaimBytes({
      pluginId: manifest.id,
      version: manifest.version,
      artifactSha256: sha256Hex(Buffer.from(code, 'utf8')),
      sbomSha256: sbomSha256Of(sbom),
    });
    const signature = sign('sha256', claim, { key: privateKey, dsaEncoding: 'der' });
    await options.marketplace.publish(
      {
        id: manifest.id as never,
        version: manifest.version,
        metadata: manifest.metadata,
        code,
        sbom,
        signature: { keyId: publisherKeyIdOf(publicKey), signature: signature.toString('base64') },
      },
      actor,
    );
    published.push(`${manifest.id}@${manifest.version}`);
  }
  return { published };
}

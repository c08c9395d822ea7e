import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { platformActor } from '../../../shared/domain/actors.ts';
import { publisherKeyIdOf } from '../../../shared/domain/marketplace-keys.ts';
import { proveKeyPossession } from '../../../shared/domain/prove-key-possession.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { MarketplaceCatalogue } from '../../../shared/ports/marketplace-catalogue.ts';
import type { PluginMarketplaceService } from '../../../shared/services/marketplace/plugin-marketplace-service.ts';
import { DEMO_PLUGINS } from './demo-plugins.ts';

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
 * Publishes the sample plugins through the real publishing path (publisher key registration,
 * signature, validation, platform-signed statement), as the verified demo publisher. Versions that
 * exist already are skipped, so it is safe on every start. The demo publisher is seeded verified
 * with the evidence a well-known check of its `.localhost` domain writes, once: an admin's later
 * revocation survives restarts. Its profile comes first, so each publish lists it verified.
 */
export async function seedDemoMarketplace(options: {
  marketplace: PluginMarketplaceService;
  catalogue: MarketplaceCatalogue;
  publisherKeyFile: string;
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
  for (const plugin of DEMO_PLUGINS) {
    if (await options.catalogue.getRelease(plugin.id, plugin.version)) continue;
    const signature = sign('sha256', Buffer.from(plugin.code, 'utf8'), {
      key: privateKey,
      dsaEncoding: 'der',
    });
    await options.marketplace.publish(
      {
        id: plugin.id as never,
        version: plugin.version,
        metadata: plugin.metadata,
        code: plugin.code,
        signature: { keyId: publisherKeyIdOf(publicKey), signature: signature.toString('base64') },
      },
      actor,
    );
    published.push(`${plugin.id}@${plugin.version}`);
  }
  return { published };
}

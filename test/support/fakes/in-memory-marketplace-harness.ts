import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { OsvAdvisoryDatabase } from '../../../shared/adapters/osv-advisory-database.ts';
import { RetireBundleScanner } from '../../../shared/adapters/retire-bundle-scanner.ts';
import type { RegisterPublisherKeyRequest } from '../../../shared/domain/marketplace.ts';
import { publisherKeyIdOf } from '../../../shared/domain/marketplace-keys.ts';
import { proveKeyPossession } from '../../../shared/domain/prove-key-possession.ts';
import { InMemoryUsageCounters } from '../../../shared/sandbox/usage-counters.ts';
import { CatalogueSearch } from '../../../shared/services/marketplace/catalogue-search.ts';
import type { MarketplaceActor } from '../../../shared/services/marketplace/marketplace-dependencies.ts';
import { PluginMarketplaceService } from '../../../shared/services/marketplace/plugin-marketplace-service.ts';
import { ProvenanceVerifier } from '../../../shared/services/provenance/provenance-verifier.ts';
import { fakePublisherDomainProofs } from './fake-publisher-domain-proofs.ts';
import { InMemoryCatalogue } from './in-memory-catalogue.ts';
import {
  InMemoryMarketplaceArtifacts,
  InMemoryMarketplaceInstallations,
  InMemoryMarketplaceInstallers,
  InMemoryMarketplaceSigner,
  InMemoryMarketplaceUploads,
  InMemoryMarketplaceUsage,
} from './in-memory-marketplace-ports.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';
import { InMemoryPublisherKeys } from './in-memory-publisher-keys.ts';
import { InMemoryReviews } from './in-memory-reviews.ts';

export const actor = (
  tenantId: string,
  scopes: readonly string[] = ['marketplace:publish', 'marketplace:review', 'plugins:admin'],
  userId = 'user-1',
): MarketplaceActor => ({ tenantId, userId, scopes: new Set(scopes), requestId: 'req-1' });

export const pluginCode = (label = 'x') =>
  `export default { async execute() { return ${JSON.stringify(label)}; } };\n`;

export const metadata = (overrides: Record<string, unknown> = {}) => ({
  name: 'Lab Results Viewer',
  description: 'Shows lab results next to the patient chart.',
  author: 'Acme Labs',
  permissions: ['read:patients'],
  tags: ['labs', 'charts'],
  ...overrides,
});

export interface PublisherKeyPair {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  sign(code: string): { keyId: string; signature: string };
  /** The registration body with a proof of possession for `publisherId`, signed at `signedAt`. */
  registration(publisherId: string, signedAt: Date): RegisterPublisherKeyRequest;
}

export function publisherKeyPair(): PublisherKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyId = publisherKeyIdOf(publicKey);
  return {
    keyId,
    privateKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    sign: (code) => ({
      keyId,
      signature: sign('sha256', Buffer.from(code, 'utf8'), { key: privateKey, dsaEncoding: 'der' }).toString(
        'base64',
      ),
    }),
    registration: (publisherId, signedAt) => proveKeyPossession(privateKey, publisherId, signedAt),
  };
}

/**
 * The service over in-memory fakes of every port, with handles on each fake for assertions. Every
 * audit record lands in `fakes.outbox`: with its change, or appended on its own.
 */
export function createMarketplaceHarness(now = new Date('2030-01-01T00:00:00Z')) {
  const clock = { now: () => now };
  let counter = 0;
  const ids = { next: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` };
  const outbox = new InMemoryOutbox();
  const catalogue = new InMemoryCatalogue(outbox, clock);
  const installations = new InMemoryMarketplaceInstallations();
  const installers = new InMemoryMarketplaceInstallers(installations);
  const publisherKeys = new InMemoryPublisherKeys(outbox);
  const signer = new InMemoryMarketplaceSigner();
  const fakes = {
    catalogue,
    publisherKeys,
    reviews: new InMemoryReviews(catalogue),
    artifacts: new InMemoryMarketplaceArtifacts(),
    uploads: new InMemoryMarketplaceUploads(),
    signer,
    provenance: new ProvenanceVerifier({ signer, publisherKeys, clock }),
    advisories: OsvAdvisoryDatabase.shipped(),
    bundleScanner: RetireBundleScanner.shipped(),
    installations,
    installers,
    usage: new InMemoryMarketplaceUsage(),
    outbox,
    auditRetry: { attempts: 3, baseDelayMs: 0 },
    clock,
    ids,
    search: new CatalogueSearch({ catalogue, clock, maxAgeMs: 60_000 }),
    reviewCounters: new InMemoryUsageCounters({ now: () => clock.now().getTime() }),
    publisherProofs: fakePublisherDomainProofs(),
  };
  const service = new PluginMarketplaceService({ ...fakes, installerFor: installers.installerFor });
  const publisher = publisherKeyPair();

  /** Registers the key (idempotent) and publishes one version as tenant `publisherTenant`. */
  async function publish(
    id: string,
    version: string,
    options: {
      code?: string;
      metadata?: Record<string, unknown>;
      tenant?: string;
      key?: PublisherKeyPair;
    } = {},
  ) {
    const key = options.key ?? publisher;
    const tenant = options.tenant ?? 'pub-acme';
    await service.registerPublisherKey(key.registration(tenant, now), actor(tenant));
    const code = options.code ?? pluginCode(`${id}@${version}`);
    return service.publish(
      { id: id as never, version, metadata: metadata(options.metadata), code, signature: key.sign(code) },
      actor(tenant),
    );
  }

  /** Registers `key` for `tenant` with a fresh proof, as the CLI does. */
  const register = (key: PublisherKeyPair = publisher, tenant = 'pub-acme') =>
    service.registerPublisherKey(key.registration(tenant, clock.now()), actor(tenant));

  return { service, fakes, publisher, publish, register, clock };
}

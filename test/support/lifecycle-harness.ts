import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalReleaseSigner } from '../../shared/adapters/local/local-release-signer.ts';
import { OsvAdvisoryDatabase } from '../../shared/adapters/osv-advisory-database.ts';
import { RetireBundleScanner } from '../../shared/adapters/retire-bundle-scanner.ts';
import { TenantIdSchema } from '../../shared/domain/identifiers.ts';
import { serializeStatement } from '../../shared/domain/release-statement.ts';
import { sha256Hex } from '../../shared/domain/signatures.ts';
import { DEFAULT_TENANT_POLICY, type TenantPolicy } from '../../shared/domain/tenant-policy.ts';
import { systemClock } from '../../shared/ports/clock.ts';
import { uuidGenerator } from '../../shared/ports/id-generator.ts';
import type { AuditTrail } from '../../shared/services/audit/audit-trail.ts';
import { PluginSecurityService } from '../../shared/services/lifecycle/plugin-security-service.ts';
import { PluginService } from '../../shared/services/lifecycle/plugin-service.ts';
import { ProvenanceVerifier } from '../../shared/services/provenance/provenance-verifier.ts';
import { InMemoryArtifactStore } from './fakes/in-memory-artifact-store.ts';
import { InMemoryInstallationRepository } from './fakes/in-memory-installation-repository.ts';
import { InMemoryOutbox } from './fakes/in-memory-outbox.ts';
import { InMemoryPublisherKeys } from './fakes/in-memory-publisher-keys.ts';
import { InMemoryReleaseCatalogue } from './fakes/in-memory-release-catalogue.ts';
import { InMemoryTenantPolicyRepository } from './fakes/in-memory-tenant-policy-repository.ts';
import { InMemoryUsageRepository } from './fakes/in-memory-usage-repository.ts';
import { createPublisherKeyPair } from './signing.ts';

export const SAMPLE_CODE = `export default {
  async execute(input, api) {
    const patients = await api.patients.search({});
    return { count: patients.length, echo: input };
  },
};
`;

export const sampleMetadata = (overrides: Record<string, unknown> = {}) => ({
  name: 'My Plugin',
  description: 'Extends EHR functionality',
  permissions: ['read:patients', 'write:appointments'],
  author: 'Developer Name',
  homepage: 'https://example.com/my-plugin',
  ...overrides,
});

/**
 * A PluginService over in-memory ports, a trusted publisher key and a local platform key. Pass the
 * marketplace harness's `publisherKeys` to have both sides see the same registered keys. Every
 * audit record and lifecycle event lands in `outbox`: with its change, or appended on its own.
 */
export async function createLifecycleHarness(options: { publisherKeys?: InMemoryPublisherKeys } = {}) {
  const outbox = new InMemoryOutbox();
  const auditTrail: AuditTrail = {
    outbox,
    ids: uuidGenerator,
    clock: systemClock,
    auditRetry: { attempts: 3, baseDelayMs: 0 },
  };
  const installations = new InMemoryInstallationRepository([], outbox);
  const policies = new InMemoryTenantPolicyRepository(outbox);
  const artifacts = new InMemoryArtifactStore();
  const catalogue = new InMemoryReleaseCatalogue();
  const publisherKeys = options.publisherKeys ?? new InMemoryPublisherKeys();
  const metricsService = new InMemoryUsageRepository();
  const platformSigner = LocalReleaseSigner.fromFile(
    join(mkdtempSync(join(tmpdir(), 'platform-key-')), 'key.pem'),
  );
  const publisher = createPublisherKeyPair();
  await publisherKeys.register({
    keyId: 'pub-key-1',
    publisherId: 'acme-labs',
    publicKeyPem: publisher.publicKeyPem,
    createdAt: new Date().toISOString(),
  });
  const tenantId = TenantIdSchema.parse('t-acme');
  /** Starts a tenant from the default policy with some rules changed. */
  const setPolicy = (tenant: string, changes: Partial<TenantPolicy>) =>
    policies.policies.set(tenant, { policy: { ...DEFAULT_TENANT_POLICY, ...changes }, version: 1 });
  setPolicy(tenantId, { minimumSignatureLevel: 'publisher', trustedPublisherKeyIds: ['pub-key-1'] });
  const securityService = new PluginSecurityService({
    advisories: OsvAdvisoryDatabase.shipped(),
    bundleScanner: RetireBundleScanner.shipped(),
    clock: systemClock,
    provenance: new ProvenanceVerifier({ signer: platformSigner, publisherKeys, clock: systemClock }),
  });
  const deletedStorage: string[] = [];
  const serviceFor = (tenant = tenantId as string, actorId = 'admin-1') =>
    new PluginService({
      tenantId: TenantIdSchema.parse(tenant),
      actorId,
      auditTrail,
      securityService,
      metricsService,
      installations,
      policies,
      artifacts,
      catalogue,
      storageCleaner: { deleteAll: async (t, p) => void deletedStorage.push(`${t}/${p}`) },
    });

  /** Publishes a release the way the marketplace does: artifact, signed statement, catalogue entry. */
  const publishRelease = async (
    pluginId: string,
    version: string,
    code = SAMPLE_CODE,
    status: 'active' | 'yanked' | 'revoked' = 'active',
  ) => {
    const metadata = sampleMetadata();
    const { sha256 } = await artifacts.putArtifact(new TextEncoder().encode(code));
    const payload = serializeStatement({
      pluginId,
      version,
      sha256,
      publisher: 'acme-labs',
      permissions: metadata.permissions,
      publishedAt: new Date().toISOString(),
    });
    const statement = {
      payload,
      keyId: platformSigner.keyId,
      signature: await platformSigner.sign(Buffer.from(payload)),
    };
    await artifacts.putStatement(pluginId, version, statement);
    catalogue.put({
      pluginId,
      version,
      sha256,
      publisherId: 'acme-labs',
      metadata: {
        ...metadata,
        events: [],
        networkHosts: [],
        dependencies: [],
        limits: {},
        tags: [],
      } as never,
      status,
      publishedAt: new Date().toISOString(),
    });
    return { statement, sha256, code, metadata };
  };

  return {
    tenantId,
    installations,
    policies,
    publisherKeys,
    setPolicy,
    artifacts,
    catalogue,
    outbox,
    auditTrail,
    /** The names of the events committed so far (audit records aside), in order. */
    eventNames: () => outbox.events().map((event) => event.name),
    metricsService,
    publisher,
    platformSigner,
    deletedStorage,
    serviceFor,
    publishRelease,
    signed: (code = SAMPLE_CODE) => ({ keyId: 'pub-key-1', signature: publisher.sign(code) }),
    /** A direct install of the sample plugin, signed by the trusted publisher key. */
    installSample: (id = 'p1', version = '1.0.0', tenant = tenantId as string) =>
      serviceFor(tenant).installPlugin({
        id,
        version,
        code: SAMPLE_CODE,
        metadata: sampleMetadata(),
        signature: { keyId: 'pub-key-1', signature: publisher.sign(SAMPLE_CODE) },
      }),
    sha256Hex,
  };
}

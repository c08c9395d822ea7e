import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { type Installation, InstallationSchema } from '../../../shared/domain/installation.ts';
import { type ReleaseStatement, serializeStatement } from '../../../shared/domain/release-statement.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { EventDeliveryMarkers } from '../../../shared/ports/event-delivery-markers.ts';
import type { ReleaseSigner } from '../../../shared/ports/release-signer.ts';
import type { RunMetrics, RunSample } from '../../../shared/ports/run-metrics.ts';
import { PluginSandbox } from '../../../shared/sandbox/plugin-sandbox.ts';
import { InMemoryUsageCounters } from '../../../shared/sandbox/usage-counters.ts';
import type { ExecutionDependencies } from '../../../shared/services/execution/execution-dependencies.ts';
import { RevocationCache } from '../../../shared/services/execution/revocation-cache.ts';
import { SandboxObserver } from '../../../shared/services/execution/sandbox-observer.ts';
import { VerifiedArtifactLoader } from '../../../shared/services/execution/verified-artifact-loader.ts';
import { ProvenanceVerifier } from '../../../shared/services/provenance/provenance-verifier.ts';
import { InMemoryArtifactStore } from './in-memory-artifact-store.ts';
import { InMemoryEhrRepository } from './in-memory-ehr-repository.ts';
import { InMemoryEventDeliveryMarkers } from './in-memory-event-delivery-markers.ts';
import { InMemoryEventPublisher } from './in-memory-event-publisher.ts';
import { InMemoryFailureRecorder } from './in-memory-failure-recorder.ts';
import { InMemoryInstallationRepository } from './in-memory-installation-repository.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';
import { InMemoryPluginStorage } from './in-memory-plugin-storage.ts';
import { InMemoryPublisherKeys } from './in-memory-publisher-keys.ts';
import { InMemoryReleaseCatalogue } from './in-memory-release-catalogue.ts';
import { InMemoryRunLeaseStore } from './in-memory-run-lease-store.ts';
import { InMemoryRunLedger } from './in-memory-run-ledger.ts';
import { InMemoryTenantPolicyRepository } from './in-memory-tenant-policy-repository.ts';
import { InMemoryUsageRepository } from './in-memory-usage-repository.ts';

export const PLATFORM_KEY_ID = 'platform-test-key';

/** The run metrics as published, one sample per run. */
export class RecordingRunMetrics implements RunMetrics {
  readonly samples: RunSample[] = [];
  publish(sample: RunSample): void {
    this.samples.push(structuredClone(sample));
  }
}

export interface InstallOptions {
  readonly tenantId?: string;
  readonly pluginId: string;
  readonly version?: string;
  readonly code: string;
  readonly permissions?: readonly string[];
  readonly grants?: readonly string[];
  readonly events?: readonly string[];
  readonly state?: Installation['state'];
  readonly limits?: Installation['metadata']['limits'];
}

/** Signs like KMS: DER ECDSA P-256 over SHA-256, with a key generated per platform instance. */
export function createTestSigner(keyId = PLATFORM_KEY_ID): ReleaseSigner & { privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    keyId,
    privateKey,
    sign: async (message) =>
      sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }).toString('base64'),
    publicKeyPem: async () => publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * Every port of the execution path in memory, with the real sandbox and real signatures: a
 * release is "published" by storing the artifact and a statement signed with the test platform key.
 */
export function createExecutionPlatform() {
  let nowMs = Date.UTC(2030, 0, 1, 9, 0, 0);
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(nowMs),
    advance: (ms) => {
      nowMs += ms;
    },
  };
  let sequence = 0;
  const ids = { next: () => `id-${++sequence}` };
  const signer = createTestSigner();
  const events = new InMemoryEventPublisher();
  const outbox = new InMemoryOutbox();
  const observer = new SandboxObserver();
  const counters = new InMemoryUsageCounters();
  const sandbox = new PluginSandbox({
    counters,
    onSecurityEvent: observer.onSecurityEvent,
    onResourceExceeded: observer.onResourceExceeded,
  });
  const releases = new InMemoryReleaseCatalogue();
  const artifacts = new InMemoryArtifactStore();
  const publisherKeys = new InMemoryPublisherKeys();
  const installations = new InMemoryInstallationRepository();
  const ports = {
    installations,
    policies: new InMemoryTenantPolicyRepository(),
    releases,
    artifactStore: artifacts,
    publisherKeys,
    ehr: new InMemoryEhrRepository(),
    events,
    outbox,
    trail: { outbox, clock, ids, auditRetry: { attempts: 3, baseDelayMs: 0 } },
    failures: new InMemoryFailureRecorder(),
    usage: new InMemoryUsageRepository(),
    markers: new InMemoryEventDeliveryMarkers(() => nowMs),
    runLeases: new InMemoryRunLeaseStore(() => nowMs),
    counters,
    storage: new InMemoryPluginStorage(),
    clock,
    ids,
    signer,
  };
  const ledger = new InMemoryRunLedger(ports);
  const metrics = new RecordingRunMetrics();
  const deps: ExecutionDependencies & { markers: EventDeliveryMarkers } = {
    ...ports,
    ledger,
    revocations: new RevocationCache({ releases, clock }),
    artifacts: new VerifiedArtifactLoader({
      artifacts,
      provenance: new ProvenanceVerifier({ signer, publisherKeys, clock }),
    }),
    sandbox,
    observer,
    metrics,
  };

  async function publishRelease(
    pluginId: string,
    version: string,
    code: string,
    permissions: readonly string[] = [],
  ) {
    const bytes = new TextEncoder().encode(code);
    const { sha256 } = await artifacts.putArtifact(bytes);
    const statement: ReleaseStatement = {
      pluginId,
      version,
      sha256,
      publisher: 'publisher-1',
      permissions: [...permissions],
      publishedAt: clock.now().toISOString(),
    };
    const payload = serializeStatement(statement);
    await artifacts.putStatement(pluginId, version, {
      payload,
      keyId: signer.keyId,
      signature: await signer.sign(new TextEncoder().encode(payload)),
    });
    releases.put({
      pluginId,
      version,
      sha256,
      publisherId: 'publisher-1',
      metadata: {
        name: pluginId,
        description: 'd',
        author: 'a',
        permissions: [],
        events: [],
        networkHosts: [],
        dependencies: [],
        limits: {},
        tags: [],
      },
      status: 'active',
      publishedAt: statement.publishedAt,
    });
    return sha256;
  }

  /** Publishes through the marketplace path and installs it into a tenant, enabled by default. */
  async function install(options: InstallOptions): Promise<Installation> {
    const version = options.version ?? '1.0.0';
    const permissions = options.permissions ?? [];
    const sha256 = await publishRelease(options.pluginId, version, options.code, permissions);
    const at = clock.now().toISOString();
    const installation = InstallationSchema.parse({
      tenantId: options.tenantId ?? 't-acme',
      pluginId: options.pluginId,
      version,
      state: options.state ?? 'enabled',
      source: 'marketplace',
      sha256,
      provenance: { kind: 'platform', keyId: signer.keyId },
      metadata: {
        name: options.pluginId,
        description: 'A test plugin',
        author: 'Tests',
        permissions,
        events: options.events ?? [],
        limits: options.limits ?? {},
      },
      grants: { permissions: [...(options.grants ?? permissions)], approvedBy: 'admin-1', approvedAt: at },
      installedAt: at,
      installedBy: 'admin-1',
      updatedAt: at,
      updatedBy: 'admin-1',
      revision: 1,
    });
    installations.items.set(`${installation.tenantId}/${installation.pluginId}`, installation);
    return installation;
  }

  return {
    ...ports,
    ledger,
    deps,
    metrics,
    sandbox,
    observer,
    publishRelease,
    install,
    dispose: () => sandbox.dispose(),
  };
}

export type ExecutionPlatform = ReturnType<typeof createExecutionPlatform>;

import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { storedArtifactTampered } from '../../../shared/adapters/aws/s3-artifact-store.ts';
import { alreadyInstalled, pluginNotInstalled } from '../../../shared/domain/errors/lifecycle-errors.ts';
import type { PluginId, TenantId } from '../../../shared/domain/identifiers.ts';
import type { Installation } from '../../../shared/domain/installation.ts';
import { sha256Hex } from '../../../shared/domain/signatures.ts';
import type { ArtifactStore, SignedStatement } from '../../../shared/ports/artifact-store.ts';
import type { ArtifactUploads } from '../../../shared/ports/artifact-uploads.ts';
import type { InstallationRepository } from '../../../shared/ports/installation-repository.ts';
import type { PageRequest } from '../../../shared/ports/page.ts';
import type { ReleaseSigner } from '../../../shared/ports/release-signer.ts';
import type { TenantInstaller, TenantScope } from '../../../shared/ports/tenant-installer.ts';
import type { BlastRadiusEntry, UsageRepository } from '../../../shared/ports/usage-repository.ts';

export class InMemoryMarketplaceArtifacts implements ArtifactStore {
  readonly artifacts = new Map<string, Uint8Array>();
  readonly statements = new Map<string, SignedStatement>();

  async putArtifact(bytes: Uint8Array) {
    const sha256 = sha256Hex(bytes);
    this.artifacts.set(sha256, bytes);
    return { sha256 };
  }

  async getArtifact(sha256: string) {
    const bytes = this.artifacts.get(sha256);
    if (bytes && sha256Hex(bytes) !== sha256) throw storedArtifactTampered(sha256);
    return bytes;
  }

  async putStatement(pluginId: string, version: string, statement: SignedStatement) {
    this.statements.set(`${pluginId}@${version}`, statement);
  }

  async getStatement(pluginId: string, version: string) {
    return this.statements.get(`${pluginId}@${version}`);
  }
}

export class InMemoryMarketplaceUploads implements ArtifactUploads {
  readonly objects = new Map<string, Uint8Array>();

  async createUpload(request: { publisherId: string; uploadId: string; sizeBytes: number; sha256: string }) {
    return {
      uploadId: request.uploadId,
      url: `memory://uploads/${request.publisherId}/${request.uploadId}`,
      method: 'PUT' as const,
      headers: { 'content-length': String(request.sizeBytes) },
      expiresAt: new Date(Date.now() + 900_000).toISOString(),
    };
  }

  async readUpload(publisherId: string, uploadId: string, maxBytes: number) {
    const bytes = this.objects.get(`${publisherId}/${uploadId}`);
    return bytes && bytes.byteLength <= maxBytes ? bytes : undefined;
  }
}

/** A platform signing key held in memory, producing the DER signatures KMS returns. */
export class InMemoryMarketplaceSigner implements ReleaseSigner {
  readonly keyId = 'test-platform-key';
  private readonly privateKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

  async sign(message: Uint8Array) {
    return sign('sha256', message, { key: this.privateKey, dsaEncoding: 'der' }).toString('base64');
  }

  async publicKeyPem() {
    return createPublicKey(this.privateKey).export({ format: 'pem', type: 'spki' }).toString();
  }
}

export class InMemoryMarketplaceInstallations implements InstallationRepository {
  readonly items = new Map<string, Installation>();

  async list(tenantId: TenantId, page: PageRequest) {
    const all = [...this.items.values()].filter((item) => item.tenantId === tenantId);
    const start = page.cursor ? Number(page.cursor) : 0;
    const items = all.slice(start, start + page.limit);
    return {
      items,
      ...(start + items.length < all.length ? { nextCursor: String(start + items.length) } : {}),
    };
  }

  async get(tenantId: TenantId, pluginId: PluginId) {
    return this.items.get(`${tenantId}/${pluginId}`);
  }

  async create(installation: Installation) {
    const key = `${installation.tenantId}/${installation.pluginId}`;
    if (this.items.has(key)) throw alreadyInstalled();
    this.items.set(key, installation);
  }

  async update(installation: Installation) {
    this.items.set(`${installation.tenantId}/${installation.pluginId}`, installation);
  }

  async delete(tenantId: TenantId, pluginId: PluginId) {
    this.items.delete(`${tenantId}/${pluginId}`);
  }

  async listByPlugin(pluginId: PluginId) {
    return [...this.items.values()].filter((item) => item.pluginId === pluginId);
  }
}

/** Stands in for the lifecycle service: records what the marketplace asked of each tenant. */
export class InMemoryMarketplaceInstallers {
  readonly calls: { scope: TenantScope; action: string; pluginId: string; detail: unknown }[] = [];
  private readonly installations: InMemoryMarketplaceInstallations;

  constructor(installations: InMemoryMarketplaceInstallations) {
    this.installations = installations;
  }

  readonly installerFor = (scope: TenantScope): TenantInstaller => ({
    installPlugin: async (request) => {
      this.calls.push({ scope, action: 'install', pluginId: request.id, detail: request });
      const now = new Date().toISOString();
      const installation: Installation = {
        tenantId: scope.tenantId as TenantId,
        pluginId: request.id as PluginId,
        version: request.version,
        state: 'installed',
        source: 'marketplace',
        sha256: sha256Hex(request.code),
        provenance: { kind: 'platform', keyId: request.release.keyId },
        metadata: request.metadata,
        grants: null,
        installedAt: now,
        installedBy: scope.actorId,
        updatedAt: now,
        updatedBy: scope.actorId,
        revision: 1,
      };
      await this.installations.create(installation);
      return installation;
    },
    disablePlugin: async (id, options) => {
      this.calls.push({ scope, action: 'disable', pluginId: id, detail: options });
      const current = await this.installations.get(scope.tenantId as TenantId, id as PluginId);
      if (!current) throw pluginNotInstalled();
      const disabled = { ...current, state: 'disabled' as const, stateReason: options.reason };
      await this.installations.update(disabled);
      return disabled;
    },
  });
}

export class InMemoryMarketplaceUsage implements UsageRepository {
  readonly radius = new Map<string, BlastRadiusEntry[]>();
  async record() {}
  async summarize(_tenantId: string, pluginId: string) {
    const zero = { wallMs: 0, cpuMs: 0, peakHeapBytes: 0, dataCalls: 0, networkCalls: 0, storageBytes: 0 };
    return { pluginId, invocations: 0, failures: 0, totals: zero, byVersion: {} };
  }
  async series() {
    return [];
  }
  async blastRadius(pluginId: string, version: string) {
    return this.radius.get(`${pluginId}@${version}`) ?? [];
  }
}

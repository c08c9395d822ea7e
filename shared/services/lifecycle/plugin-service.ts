import { gt, parse as parseSemver } from 'semver';
import { actorIn, isPlatformActor } from '../../domain/actors.ts';
import {
  downgradeRefused,
  pluginNotInstalled,
  versionNotNewer,
} from '../../domain/errors/lifecycle-errors.ts';
import { versionNotFound, versionRevoked, versionYanked } from '../../domain/errors/marketplace-errors.ts';
import { validationFailed } from '../../domain/errors/request-errors.ts';
import { type PluginId, PluginIdSchema, type TenantId } from '../../domain/identifiers.ts';
import type { Installation } from '../../domain/installation.ts';
import type { PluginMetadata } from '../../domain/manifest.ts';
import type { LifecycleEventName, PlatformEvent } from '../../domain/platform-events.ts';
import type { Signature } from '../../domain/signatures.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import {
  denseSeries,
  resolveUsageWindow,
  type UsageReport,
  type UsageWindowQuery,
} from '../../domain/usage-series.ts';
import type { ArtifactStore, SignedStatement } from '../../ports/artifact-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { OutboxEntries } from '../../ports/outbox.ts';
import type { Page, PageRequest } from '../../ports/page.ts';
import type { PluginStorageCleaner } from '../../ports/plugin-storage-cleaner.ts';
import type { ReleaseCatalogue } from '../../ports/release-catalogue.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import type { UsageRepository } from '../../ports/usage-repository.ts';
import { type AuditTrail, auditEvent, audited, type CommitEntries } from '../audit/audit-trail.ts';
import { checkPermissionsAllowed, refuseVulnerableRelease } from '../validation/enforce-tenant-policy.ts';
import { refuseUnverifiedPublisher } from '../validation/refuse-unverified-publisher.ts';
import { LifecycleEvents, type LifecycleListener } from './lifecycle-events.ts';
import type { PluginSecurityService, PluginSubmission } from './plugin-security-service.ts';
import { assertTransition } from './state-transitions.ts';

export interface InstallPluginRequest {
  readonly id: string;
  readonly version: string;
  readonly code: string;
  readonly metadata: PluginMetadata | Record<string, unknown>;
  /** A publisher (or platform) signature over the artifact bytes: direct installs. */
  readonly signature?: Signature | undefined;
  /** The platform-signed release statement: installs from the marketplace. */
  readonly release?: SignedStatement | undefined;
}

export interface UpdatePluginOptions {
  /** A direct update brings its own artifact; without it the version comes from the marketplace. */
  readonly code?: string | undefined;
  readonly metadata?: PluginMetadata | Record<string, unknown> | undefined;
  readonly signature?: Signature | undefined;
  /** Rollback protection: moving to a lower version must be asked for, and is audited. */
  readonly allowDowngrade?: boolean | undefined;
}

export interface PluginServiceDependencies {
  /** The tenant every call is scoped to, and who acts (from a verified token, or `system:*`). */
  readonly tenantId: TenantId;
  readonly actorId: string;
  readonly requestId?: string | undefined;
  /** The outbox every change commits its audit record and lifecycle events to; ids and clock. */
  readonly auditTrail: AuditTrail;
  readonly securityService: PluginSecurityService;
  readonly metricsService: UsageRepository;
  readonly installations: InstallationRepository;
  readonly policies: TenantPolicyRepository;
  readonly artifacts: ArtifactStore;
  readonly catalogue: ReleaseCatalogue;
  readonly storageCleaner?: PluginStorageCleaner | undefined;
}

/**
 * The lifecycle of plugins in one tenant. Every change is validated before anything is stored,
 * and written with a revision check in one transaction with its audit record and lifecycle events
 * (the outbox); in-process listeners hear of it once it committed. Every refusal is audited too.
 */
export class PluginService {
  private readonly deps: PluginServiceDependencies;
  private readonly clock: Clock;
  private readonly lifecycle: LifecycleEvents;

  constructor(deps: PluginServiceDependencies) {
    this.deps = deps;
    this.clock = deps.auditTrail.clock;
    this.lifecycle = new LifecycleEvents(deps.auditTrail);
  }

  on(event: LifecycleEventName, listener: LifecycleListener): this {
    this.lifecycle.on(event, listener);
    return this;
  }

  async installPlugin(request: InstallPluginRequest): Promise<Installation> {
    return this.audited('install', request.id, request.version, async (commit) => {
      const { policy } = await this.deps.policies.get(this.deps.tenantId);
      const { package: validated, provenance } = await this.deps.securityService.validate(
        request,
        policy,
        this.deps.tenantId,
      );
      await this.refuseUnavailableRelease(
        validated.id,
        validated.version,
        request.release !== undefined,
        policy,
      );
      await this.deps.artifacts.putArtifact(validated.bytes);
      const now = this.clock.now().toISOString();
      const installation: Installation = {
        tenantId: this.deps.tenantId,
        pluginId: validated.id as PluginId,
        version: validated.version,
        state: 'installed',
        source: request.release ? 'marketplace' : 'direct',
        sha256: validated.sha256,
        provenance,
        metadata: validated.metadata,
        grants: null,
        installedAt: now,
        installedBy: this.deps.actorId,
        updatedAt: now,
        updatedBy: this.deps.actorId,
        revision: 0,
      };
      const events = [this.event('plugin:installed', installation)];
      await this.deps.installations.create(installation, this.commitOf(commit, installation, events));
      this.lifecycle.notify(events);
      return installation;
    });
  }

  /** Grants default to every permission the manifest requests, recorded as consented by the caller. */
  async enablePlugin(id: string, grants?: readonly string[]): Promise<Installation> {
    return this.audited('enable', id, undefined, async (commit) => {
      const current = await this.require(id);
      assertTransition('enable', current.state);
      const granted = [...new Set(grants ?? current.metadata.permissions)];
      const beyondManifest = granted.findIndex(
        (permission) => !current.metadata.permissions.includes(permission as never),
      );
      if (beyondManifest >= 0) {
        throw validationFailed([
          { field: `grants.${beyondManifest}`, message: 'is not a permission the plugin requests' },
        ]);
      }
      const { policy } = await this.deps.policies.get(this.deps.tenantId);
      checkPermissionsAllowed(granted, policy, 'grants');
      const now = this.clock.now().toISOString();
      const { stateReason: _cleared, ...rest } = current;
      return this.save(
        {
          ...rest,
          state: 'enabled',
          grants: { permissions: granted, approvedBy: this.deps.actorId, approvedAt: now },
        },
        commit,
        (enabled) => [this.event('plugin:enabled', enabled, { grants: granted })],
      );
    });
  }

  /**
   * A caller disables an enabled plugin. The platform (circuit breaker, revocation) passes a
   * reason and may also park a plugin that was never enabled, so it cannot be enabled unnoticed.
   */
  async disablePlugin(id: string, options: { reason?: string } = {}): Promise<Installation> {
    return this.audited(
      'disable',
      id,
      undefined,
      async (commit) => {
        const current = await this.require(id);
        const isPlatformAction = options.reason !== undefined && isPlatformActor(this.deps.actorId);
        if (!isPlatformAction) assertTransition('disable', current.state);
        if (isPlatformAction && current.state !== 'enabled' && current.stateReason === options.reason)
          return current;
        return this.save(
          { ...current, state: 'disabled', ...(options.reason ? { stateReason: options.reason } : {}) },
          commit,
          (disabled) => [
            this.event('plugin:disabled', disabled, options.reason ? { reason: options.reason } : {}),
            // The platform stopping a tenant's plugin (circuit breaker, revocation) is a security event.
            ...(isPlatformAction
              ? [
                  auditEvent(
                    {
                      action: 'security:plugin-stopped-by-platform',
                      outcome: 'success',
                      actor: this.deps.actorId,
                      tenantId: this.deps.tenantId,
                      pluginId: disabled.pluginId,
                      version: disabled.version,
                      reason: options.reason,
                      ...(this.deps.requestId ? { requestId: this.deps.requestId } : {}),
                    },
                    this.deps.auditTrail,
                  ),
                ]
              : []),
          ],
        );
      },
      options.reason,
    );
  }

  async uninstallPlugin(id: string): Promise<void> {
    await this.audited('uninstall', id, undefined, async (commit) => {
      const current = await this.require(id);
      assertTransition('uninstall', current.state);
      const { policy } = await this.deps.policies.get(this.deps.tenantId);
      const events = [this.event('plugin:uninstalled', current, { storage: policy.uninstallStorage })];
      await this.deps.installations.delete(
        this.deps.tenantId,
        current.pluginId,
        current.revision,
        this.commitOf(commit, current, events),
      );
      // After the delete committed: the plugin's data goes only with the installation that owned it.
      if (policy.uninstallStorage === 'delete')
        await this.deps.storageCleaner?.deleteAll(this.deps.tenantId, current.pluginId);
      this.lifecycle.notify(events);
      return current;
    });
  }

  async updatePlugin(id: string, version: string, options: UpdatePluginOptions = {}): Promise<Installation> {
    return this.audited(
      'update',
      id,
      version,
      async (commit) => {
        const current = await this.require(id);
        assertTransition('update', current.state);
        if (!parseSemver(version))
          throw validationFailed([{ field: 'version', message: 'must be a semantic version' }]);
        const isDowngrade = !gt(version, current.version);
        if (version === current.version) {
          throw versionNotNewer(version);
        }
        if (isDowngrade && !options.allowDowngrade) {
          throw downgradeRefused(version, current.version);
        }
        const submission =
          options.code === undefined
            ? await this.marketplaceSubmission(current.pluginId, version)
            : {
                id: current.pluginId,
                version,
                code: options.code,
                metadata: options.metadata,
                signature: options.signature,
              };
        const { policy } = await this.deps.policies.get(this.deps.tenantId);
        const { package: validated, provenance } = await this.deps.securityService.validate(
          submission,
          policy,
          this.deps.tenantId,
        );
        await this.refuseUnavailableRelease(
          validated.id,
          validated.version,
          submission.release !== undefined,
          policy,
        );
        await this.deps.artifacts.putArtifact(validated.bytes);
        const granted = current.grants?.permissions ?? [];
        const needsConsent = validated.metadata.permissions.some(
          (permission) => !granted.includes(permission),
        );
        const keepsGrants = current.grants
          ? {
              ...current.grants,
              permissions: granted.filter((p) => validated.metadata.permissions.includes(p as never)),
            }
          : null;
        const parksForConsent = needsConsent && current.state === 'enabled';
        const { stateReason: _previous, ...rest } = current;
        return this.save(
          {
            ...rest,
            version: validated.version,
            sha256: validated.sha256,
            provenance,
            metadata: validated.metadata,
            source: submission.release ? 'marketplace' : 'direct',
            grants: keepsGrants,
            state: parksForConsent ? 'disabled' : current.state,
            ...(parksForConsent ? { stateReason: 'awaiting-consent' } : {}),
          },
          commit,
          (updated) => [
            this.event('plugin:updated', updated, { previousVersion: current.version, isDowngrade }),
            ...(parksForConsent
              ? [this.event('plugin:disabled', updated, { reason: 'awaiting-consent' })]
              : []),
          ],
        );
      },
      options.allowDowngrade ? 'deliberate-downgrade' : undefined,
    );
  }

  async getPlugin(id: string): Promise<Installation> {
    return this.require(id);
  }

  listPlugins(page: PageRequest = { limit: 25 }): Promise<Page<Installation>> {
    return this.deps.installations.list(this.deps.tenantId, page);
  }

  /** The usage since install and, over the asked (or default) window, a time series and its totals. */
  async getUsage(id: string, query: UsageWindowQuery = {}): Promise<UsageReport> {
    const window = resolveUsageWindow(query, this.clock.now().getTime());
    const installation = await this.require(id);
    const { tenantId } = this.deps;
    const [summary, stored] = await Promise.all([
      this.deps.metricsService.summarize(tenantId, installation.pluginId),
      this.deps.metricsService.series(tenantId, installation.pluginId, window),
    ]);
    return {
      ...summary,
      interval: window.interval,
      from: new Date(window.fromMs).toISOString(),
      to: new Date(window.toMs).toISOString(),
      ...denseSeries(window, stored),
    };
  }

  private async require(id: string): Promise<Installation> {
    const pluginId = PluginIdSchema.safeParse(id);
    const installation = pluginId.success
      ? await this.deps.installations.get(this.deps.tenantId, pluginId.data)
      : undefined;
    if (!installation) throw pluginNotInstalled();
    return installation;
  }

  /**
   * Stores the next revision with its audit record and the events it causes (from `eventsOf`) in
   * one transaction, then tells the listeners.
   */
  private async save(
    next: Installation,
    commit: CommitEntries,
    eventsOf: (saved: Installation) => PlatformEvent[],
  ): Promise<Installation> {
    const saved: Installation = {
      ...next,
      updatedAt: this.clock.now().toISOString(),
      updatedBy: this.deps.actorId,
      revision: next.revision + 1,
    };
    const events = eventsOf(saved);
    await this.deps.installations.update(saved, this.commitOf(commit, saved, events));
    this.lifecycle.notify(events);
    return saved;
  }

  /** The outbox entries of a change to `installation`: its success record (with its version) and events. */
  private commitOf(
    commit: CommitEntries,
    installation: Installation,
    events: readonly PlatformEvent[],
  ): OutboxEntries {
    return commit({ version: installation.version }, events);
  }

  private async marketplaceSubmission(pluginId: string, version: string): Promise<PluginSubmission> {
    const release = await this.deps.catalogue.getRelease(pluginId, version);
    const statement = release ? await this.deps.artifacts.getStatement(pluginId, version) : undefined;
    const bytes = release ? await this.deps.artifacts.getArtifact(release.sha256) : undefined;
    if (!release || !statement || !bytes) {
      throw versionNotFound();
    }
    return {
      id: pluginId,
      version,
      code: new TextDecoder().decode(bytes),
      metadata: release.metadata,
      release: statement,
    };
  }

  /**
   * A yanked or revoked marketplace version is never newly installed, nor one whose publisher the
   * tenant's policy does not admit (read from the profile now, not from an entry's copy), nor one
   * whose advisory findings reach the tenant's `advisories.blockInstallsAtOrAbove`.
   */
  private async refuseUnavailableRelease(
    pluginId: string,
    version: string,
    isMarketplace: boolean,
    policy: TenantPolicy,
  ): Promise<void> {
    if (!isMarketplace) return;
    const release = await this.deps.catalogue.getRelease(pluginId, version);
    if (!release) throw versionNotFound();
    if (release.status === 'yanked') {
      throw versionYanked();
    }
    if (release.status === 'revoked') {
      throw versionRevoked();
    }
    await refuseUnverifiedPublisher(release.publisherId, policy, this.deps.catalogue);
    refuseVulnerableRelease(release.security, policy);
  }

  private event(
    name: LifecycleEventName,
    installation: Installation,
    extra: Record<string, unknown> = {},
  ): PlatformEvent {
    return this.lifecycle.event(name, {
      ...extra,
      tenantId: this.deps.tenantId,
      pluginId: installation.pluginId,
      version: installation.version,
      actor: actorIn(this.deps.tenantId, this.deps.actorId),
    });
  }

  /** Runs one lifecycle action and writes its audit record, success or refusal, ids only. */
  private audited<T>(
    action: string,
    pluginId: string,
    version: string | undefined,
    work: (commit: CommitEntries) => Promise<T>,
    reason?: string,
  ): Promise<T> {
    const record = {
      action: `plugin:${action}`,
      actor: actorIn(this.deps.tenantId, this.deps.actorId),
      tenantId: this.deps.tenantId,
      pluginId: String(pluginId).slice(0, 64),
      ...(version ? { version: String(version).slice(0, 64) } : {}),
      ...(this.deps.requestId ? { requestId: this.deps.requestId } : {}),
      ...(reason ? { reason } : {}),
    };
    return audited(this.deps.auditTrail, record, work);
  }
}

import type { Installation } from '../domain/installation.ts';
import type { PluginMetadata } from '../domain/manifest.ts';
import type { SignedStatement } from './artifact-store.ts';

/**
 * The slice of the lifecycle service the marketplace needs: installs go through it, so tenant
 * policy, release verification, events and audit stay in one place. Marketplace installs carry the
 * platform-signed release statement, which the lifecycle verifies again.
 */
export interface TenantInstaller {
  installPlugin(request: {
    id: string;
    version: string;
    code: string;
    metadata: PluginMetadata;
    release: SignedStatement;
  }): Promise<Installation>;
  disablePlugin(id: string, options: { reason: string }): Promise<Installation>;
}

export interface TenantScope {
  readonly tenantId: string;
  readonly actorId: string;
  readonly requestId: string;
}

export type InstallerFactory = (scope: TenantScope) => TenantInstaller;

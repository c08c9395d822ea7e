import { type Installation, InstallationSchema } from '../../shared/domain/installation.ts';

/** A valid installation record for repository and handler tests; override what the test is about. */
export function anInstallation(overrides: Partial<Record<keyof Installation, unknown>> = {}): Installation {
  const now = new Date().toISOString();
  return InstallationSchema.parse({
    tenantId: 't-acme',
    pluginId: 'p1',
    version: '1.0.0',
    state: 'installed',
    source: 'direct',
    sha256: 'a'.repeat(64),
    provenance: { kind: 'platform', keyId: 'platform-key' },
    metadata: { name: 'N', description: 'D', author: 'A', permissions: ['read:patients'] },
    grants: null,
    installedAt: now,
    installedBy: 'user-1',
    updatedAt: now,
    updatedBy: 'user-1',
    revision: 0,
    ...overrides,
  });
}

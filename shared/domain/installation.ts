import { z } from 'zod';
import { PluginIdSchema, TenantIdSchema } from './identifiers.ts';
import { PluginMetadataSchema } from './manifest.ts';
import { SignatureSchema } from './signatures.ts';

export const INSTALLATION_STATES = ['installed', 'enabled', 'disabled'] as const;
export const InstallationStateSchema = z.enum(INSTALLATION_STATES);
export type InstallationState = z.infer<typeof InstallationStateSchema>;

export const GrantRecordSchema = z.object({
  permissions: z.array(z.string()),
  approvedBy: z.string(),
  approvedAt: z.iso.datetime(),
});
export type GrantRecord = z.infer<typeof GrantRecordSchema>;

/**
 * How the artifact is vouched for: a platform-signed release statement (marketplace) or a
 * publisher signature over the artifact bytes with a key the tenant trusts (direct install).
 * Kept so that the execution function can verify again before first use.
 */
export const ArtifactProvenanceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('platform'),
    keyId: z.string(),
    /** A direct install signed with the platform key carries its signature over the bytes. */
    signature: SignatureSchema.optional(),
  }),
  z.object({
    kind: z.literal('publisher'),
    signature: SignatureSchema,
    /** Whose key it is: a tenant's own keys are trusted for its direct installs. */
    publisherId: z.string().optional(),
  }),
]);
export type ArtifactProvenance = z.infer<typeof ArtifactProvenanceSchema>;

/** A plugin installed into one tenant. `revision` guards every write (optimistic concurrency). */
export const InstallationSchema = z.object({
  tenantId: TenantIdSchema,
  pluginId: PluginIdSchema,
  version: z.string(),
  state: InstallationStateSchema,
  source: z.enum(['marketplace', 'direct']),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  provenance: ArtifactProvenanceSchema,
  metadata: PluginMetadataSchema,
  grants: GrantRecordSchema.nullable(),
  installedAt: z.iso.datetime(),
  installedBy: z.string(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
  /** Why the plugin is in its state when the platform put it there (`auto:error-rate`, `revoked`…). */
  stateReason: z.string().optional(),
  revision: z.number().int().nonnegative(),
});
export type Installation = z.infer<typeof InstallationSchema>;

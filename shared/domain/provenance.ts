import type { TenantPolicy } from './tenant-policy.ts';

/** The codes a provenance check refuses with; each is in shared/http/problem.ts and never changes. */
export type ProvenanceRefusalCode =
  | 'SIGNATURE_REQUIRED'
  | 'SIGNATURE_INVALID'
  | 'UNTRUSTED_PUBLISHER_KEY'
  | 'PUBLISHER_KEY_REVOKED'
  | 'ARTIFACT_TAMPERED'
  | 'POLICY_VIOLATION';

/** Why bytes are not proven: a stable code, the request field at fault and a message safe to show. */
export interface ProvenanceRefusal {
  readonly code: ProvenanceRefusalCode;
  readonly field: string;
  readonly message: string;
}

/**
 * Whose signature over the bytes is accepted:
 * - `platform`: only the platform key (an artifact installed as platform-signed);
 * - `tenant`: the platform key, or a publisher key the tenant's policy trusts (direct installs
 *   and the runs of what they installed);
 * - `owner`: only a live key registered by this publisher (marketplace publishing).
 */
export type SignerTrust =
  | { readonly kind: 'platform' }
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly policy: TenantPolicy }
  | { readonly kind: 'owner'; readonly publisherId: string };

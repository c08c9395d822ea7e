import type { ErrorCode } from '../../domain/error-codes.ts';
import type { ArtifactProvenance } from '../../domain/installation.ts';
import { isPublisherKeyTrusted } from '../../domain/policy-rules.ts';
import { verifyReleaseStatement } from '../../domain/release-statement.ts';
import { parseP256PublicKey, type Signature, verifyP256Signature } from '../../domain/signatures.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { SignedStatement } from '../../ports/artifact-store.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import { PluginRefusedError } from '../validation/validation-errors.ts';
import type { PlatformKey } from './platform-key.ts';

export interface ProvenanceInput {
  readonly tenantId: string;
  readonly pluginId: string;
  readonly version: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
  readonly signature?: Signature | undefined;
  readonly release?: SignedStatement | undefined;
}

const refuse = (code: ErrorCode, message: string, field = 'signature') =>
  new PluginRefusedError(code, message, { field });

/**
 * Step 2 of the seed's validation: the artifact must be vouched for by the platform key (a
 * marketplace release statement, or a platform signature over the bytes) or, where the tenant's
 * minimum signature level admits it, by a publisher key the tenant trusts.
 */
export async function verifyProvenance(
  input: ProvenanceInput,
  deps: {
    policy: TenantPolicy;
    platformKey: () => Promise<PlatformKey>;
    publisherKeys: PublisherKeyRepository;
  },
): Promise<ArtifactProvenance> {
  if (input.release) {
    const platform = await deps.platformKey();
    // Whether the version is still offered (not yanked or revoked) is the caller's catalogue check.
    verifyReleaseStatement(input.release, platform, input);
    return { kind: 'platform', keyId: platform.keyId };
  }
  if (!input.signature) {
    throw refuse('SIGNATURE_REQUIRED', 'The artifact must be signed: send signature { keyId, signature }.');
  }
  const platform = await deps.platformKey();
  if (input.signature.keyId === platform.keyId) {
    if (!verifyP256Signature(platform.publicKey, input.bytes, input.signature.signature)) {
      throw refuse('SIGNATURE_INVALID', 'The signature does not match the artifact.');
    }
    return { kind: 'platform', keyId: platform.keyId, signature: input.signature };
  }
  if (deps.policy.minimumSignatureLevel !== 'publisher') {
    throw refuse(
      'POLICY_VIOLATION',
      'The tenant policy (rule minimumSignatureLevel) admits platform-signed marketplace releases only.',
    );
  }
  const key = await deps.publisherKeys.get(input.signature.keyId);
  if (!key || !isPublisherKeyTrusted(deps.policy, input.tenantId, key)) {
    throw refuse(
      'UNTRUSTED_PUBLISHER_KEY',
      'The signing key is not one this tenant registered or lists in its policy (rule trustedPublisherKeyIds).',
      'signature.keyId',
    );
  }
  // Checked after trust, so a tenant learns a key was revoked only if it trusted that key.
  if (key.revokedAt !== undefined) {
    throw refuse(
      'PUBLISHER_KEY_REVOKED',
      'The signing key was revoked by its publisher; ask for an artifact signed with a new key.',
      'signature.keyId',
    );
  }
  if (!verifyP256Signature(parseP256PublicKey(key.publicKeyPem), input.bytes, input.signature.signature)) {
    throw refuse('SIGNATURE_INVALID', 'The signature does not match the artifact.');
  }
  return { kind: 'publisher', signature: input.signature, publisherId: key.publisherId };
}

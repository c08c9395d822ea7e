import type { ProvenanceRefusal, ProvenanceRefusalCode, SignerTrust } from '../../domain/provenance.ts';

const refusal = (code: ProvenanceRefusalCode, message: string, field = 'signature'): ProvenanceRefusal => ({
  code,
  message,
  field,
});

/** Who reads a publisher-key refusal: a tenant installing, or the publisher publishing. */
type Audience = Exclude<SignerTrust['kind'], 'platform'>;

/**
 * Every refusal of the provenance verifier, worded once. The publisher-key refusals differ by
 * audience only in wording and field, never in code, so the HTTP answers stay as they were.
 */
export const provenanceRefusals = {
  artifactTampered: () =>
    refusal('ARTIFACT_TAMPERED', 'The artifact does not match the digest it is held under.', 'code'),
  statementMissing: () => refusal('SIGNATURE_INVALID', 'The release has no signed statement.'),
  statementKeyUnknown: () => refusal('SIGNATURE_INVALID', 'The release is signed by an unknown key.'),
  statementSignatureInvalid: () =>
    refusal('SIGNATURE_INVALID', 'The release statement signature does not verify.'),
  statementMalformed: () => refusal('SIGNATURE_INVALID', 'The release statement is malformed.'),
  statementForOtherRelease: () =>
    refusal('SIGNATURE_INVALID', 'The release statement is for another plugin or version.'),
  statementDigestMismatch: () =>
    refusal('SIGNATURE_INVALID', 'The artifact does not match the signed release digest.', 'code'),
  signatureRequired: () =>
    refusal('SIGNATURE_REQUIRED', 'The artifact must be signed: send signature { keyId, signature }.'),
  platformKeyRequired: () => refusal('SIGNATURE_INVALID', 'The artifact is signed by an unknown key.'),
  platformSignatureInvalid: () => refusal('SIGNATURE_INVALID', 'The signature does not match the artifact.'),
  publisherSignaturesNotAdmitted: () =>
    refusal(
      'POLICY_VIOLATION',
      'The tenant policy (rule minimumSignatureLevel) admits platform-signed marketplace releases only.',
    ),
  untrustedPublisherKey: (audience: Audience) =>
    audience === 'owner'
      ? refusal(
          'UNTRUSTED_PUBLISHER_KEY',
          'The signing key is not a registered key of this publisher.',
          'signature.keyId',
        )
      : refusal(
          'UNTRUSTED_PUBLISHER_KEY',
          'The signing key is not one this tenant registered or lists in its policy (rule trustedPublisherKeyIds).',
          'signature.keyId',
        ),
  publisherKeyRevoked: (audience: Audience) =>
    audience === 'owner'
      ? refusal(
          'PUBLISHER_KEY_REVOKED',
          'This publisher key was revoked; sign with a new key.',
          'signature.keyId',
        )
      : refusal(
          'PUBLISHER_KEY_REVOKED',
          'The signing key was revoked by its publisher; ask for an artifact signed with a new key.',
          'signature.keyId',
        ),
  publisherSignatureInvalid: (audience: Audience) =>
    audience === 'owner'
      ? refusal(
          'SIGNATURE_INVALID',
          'The publisher signature does not verify over the artifact bytes.',
          'signature.signature',
        )
      : refusal('SIGNATURE_INVALID', 'The signature does not match the artifact.'),
};

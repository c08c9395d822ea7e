import { DomainError } from './domain-error.ts';

/** Marketplace releases, reviews, uploads and publisher keys. */
export const pluginNotFound = () => new DomainError('PLUGIN_NOT_FOUND', 'No such plugin in the marketplace.');
export const versionNotFound = () =>
  new DomainError('VERSION_NOT_FOUND', 'No such version of this plugin in the marketplace.');
export const reviewNotFound = () => new DomainError('REVIEW_NOT_FOUND', 'You have no review of this plugin.');
export const versionExists = (cause?: unknown) =>
  new DomainError('VERSION_EXISTS', 'This version was published already; publish a new version.', {
    field: 'version',
    cause,
  });

/** 403 through the problem table: the id is taken by its first publisher. */
export const notPluginOwner = (cause?: unknown) =>
  new DomainError('NOT_PLUGIN_OWNER', 'This plugin id belongs to another publisher.', { field: 'id', cause });

export const invalidPublisherKey = () =>
  new DomainError('PUBLISHER_KEY_INVALID', 'The key must be an ECDSA P-256 public key as SPKI PEM.', {
    field: 'publicKeyPem',
  });
export const publisherKeyTaken = () =>
  new DomainError('PUBLISHER_KEY_EXISTS', 'This key is registered to another publisher.', {
    field: 'publicKeyPem',
  });
/** 422: the proof's signature does not verify with the submitted key over the expected statement. */
export const keyPossessionUnproven = () =>
  new DomainError(
    'KEY_POSSESSION_UNPROVEN',
    'The proof does not show possession of the private key for this publisher and key.',
    { field: 'proof.signature' },
  );
/** 422: a valid-looking proof signed too long ago or too far ahead of the server's clock. */
export const keyProofExpired = (maxSkewSeconds: number) =>
  new DomainError(
    'KEY_PROOF_EXPIRED',
    `The proof's signedAt must be within ${maxSkewSeconds} s of the server's time; sign a fresh proof.`,
    { field: 'proof.signedAt' },
  );
/** 422: the publisher revoked this key, so it can neither sign nor be registered again. */
export const publisherKeyRevoked = (field = 'signature.keyId') =>
  new DomainError('PUBLISHER_KEY_REVOKED', 'This publisher key was revoked; sign with a new key.', { field });
/** 404 for unknown keys and for other publishers' keys alike, so a refusal reveals nothing. */
export const publisherKeyNotFound = () =>
  new DomainError('PUBLISHER_KEY_NOT_FOUND', 'You have no publisher key with this id.');
export const uploadNotFound = () =>
  new DomainError('UPLOAD_NOT_FOUND', 'No completed upload with this id (or it exceeds the size limit).', {
    field: 'uploadId',
  });
export const illegalReleaseTransition = (status: string) =>
  new DomainError('ILLEGAL_RELEASE_TRANSITION', `The version is ${status} and cannot change this way.`);
export const versionYanked = () =>
  new DomainError('VERSION_YANKED', 'This version was yanked: it cannot be newly installed.', {
    field: 'version',
  });
export const versionRevoked = () =>
  new DomainError('VERSION_REVOKED', 'This version was revoked by the platform and cannot be installed.', {
    field: 'version',
  });

export const reviewerNotInstaller = () =>
  new DomainError(
    'REVIEWER_NOT_INSTALLER',
    'Only a tenant that has installed this plugin from the marketplace may review it.',
  );
export const reviewIdNotFound = () => new DomainError('REVIEW_NOT_FOUND', 'No such review of this plugin.');
export const reviewAlreadyReplied = () =>
  new DomainError('REVIEW_ALREADY_REPLIED', 'The publisher has replied to this review already.');

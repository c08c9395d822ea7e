import { ConflictError, DomainError, NotFoundError } from './errors.ts';

/** Marketplace refusals; each code is listed in shared/http/problem.ts and never changes once shipped. */
export const pluginNotFound = () =>
  new NotFoundError('PLUGIN_NOT_FOUND', 'No such plugin in the marketplace.');
export const versionNotFound = () =>
  new NotFoundError('VERSION_NOT_FOUND', 'No such version of this plugin in the marketplace.');
export const reviewNotFound = () =>
  new NotFoundError('REVIEW_NOT_FOUND', 'You have no review of this plugin.');
export const versionExists = (cause?: unknown) =>
  new ConflictError('VERSION_EXISTS', 'This version was published already; publish a new version.', {
    field: 'version',
    cause,
  });

/** 403 through the problem table: the id is taken by its first publisher. */
export const notPluginOwner = (cause?: unknown) =>
  new DomainError('NOT_PLUGIN_OWNER', 'This plugin id belongs to another publisher.', { field: 'id', cause });

export const untrustedPublisherKey = () =>
  new DomainError('UNTRUSTED_PUBLISHER_KEY', 'The signing key is not a registered key of this publisher.', {
    field: 'signature.keyId',
  });
export const publisherSignatureInvalid = () =>
  new DomainError('SIGNATURE_INVALID', 'The publisher signature does not verify over the artifact bytes.', {
    field: 'signature.signature',
  });
export const invalidPublisherKey = () =>
  new DomainError('PUBLISHER_KEY_INVALID', 'The key must be an ECDSA P-256 public key as SPKI PEM.', {
    field: 'publicKeyPem',
  });
export const publisherKeyTaken = () =>
  new ConflictError('PUBLISHER_KEY_EXISTS', 'This key is registered to another publisher.', {
    field: 'publicKeyPem',
  });
export const uploadNotFound = () =>
  new DomainError('UPLOAD_NOT_FOUND', 'No completed upload with this id (or it exceeds the size limit).', {
    field: 'uploadId',
  });
export const illegalReleaseTransition = (status: string) =>
  new ConflictError('ILLEGAL_RELEASE_TRANSITION', `The version is ${status} and cannot change this way.`);
export const versionYanked = () =>
  new ConflictError('VERSION_YANKED', 'This version was yanked: it cannot be newly installed.', {
    field: 'version',
  });
export const versionRevoked = () =>
  new ConflictError('VERSION_REVOKED', 'This version was revoked by the platform and cannot be installed.', {
    field: 'version',
  });

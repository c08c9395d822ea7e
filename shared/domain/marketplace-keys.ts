import { createHash, type KeyObject } from 'node:crypto';

/**
 * A publisher key's id is derived from the key itself (SHA-256 of its SPKI DER), so the CLI can
 * name the key in a signature without asking the server, and one key can never carry two ids.
 */
export function publisherKeyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return `pk_${createHash('sha256').update(der).digest('base64url').slice(0, 32)}`;
}

import type { KeyObject } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { PluginPublisherService, PublisherKey } from '../../../shared/client/index.ts';
import { proveKeyPossession } from '../../../shared/domain/prove-key-possession.ts';
import type { Clock } from '../../../shared/ports/clock.ts';

/**
 * The publisher a key is registered for is the caller's organisation: the `tenant_id` claim of
 * its token, as the server derives it. The CLI decodes its own token only to name that publisher
 * in the proof; it verifies nothing, and the server trusts nothing from it but rebuilds the
 * statement from the token it verified, so a wrong value here only gets the proof refused.
 */
export function publisherIdOfToken(token: string): string {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new Error('the token is not a JWT, so the publisher to prove the key for is unknown');
  }
  if (typeof claims.tenant_id !== 'string' || claims.tenant_id === '') {
    throw new Error('the token has no tenant_id claim, so the publisher to prove the key for is unknown');
  }
  return claims.tenant_id;
}

/** `POST /v1/publishers/keys` with a fresh proof of possession; idempotent for a key already yours. */
export function registerPublisherKey(
  publisher: PluginPublisherService,
  options: { privateKey: KeyObject; token: string; clock: Clock },
): Promise<PublisherKey> {
  const body = proveKeyPossession(options.privateKey, publisherIdOfToken(options.token), options.clock.now());
  return publisher.registerPublisherKey(body);
}

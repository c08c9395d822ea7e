import {
  invalidPublisherKey,
  publisherKeyRevoked,
  publisherKeyTaken,
} from '../../domain/errors/marketplace-errors.ts';
import type { RegisterPublisherKeyRequest } from '../../domain/marketplace.ts';
import { publisherKeyIdOf } from '../../domain/marketplace-keys.ts';
import { parseP256PublicKey } from '../../domain/signatures.ts';
import type { PublisherKey } from '../../ports/publisher-key-repository.ts';
import { appendToOutbox, audited } from '../audit/audit-trail.ts';
import {
  actorIdOf,
  type MarketplaceActor,
  type MarketplaceDependencies,
  publisherIdOf,
} from './marketplace-dependencies.ts';
import { verifyKeyPossession } from './verify-key-possession.ts';

/** The key, its derived id and its normalised PEM; undefined for anything but a P-256 SPKI PEM. */
function parseKey(publicKeyPem: string) {
  try {
    const publicKey = parseP256PublicKey(publicKeyPem);
    return {
      publicKey,
      keyId: publisherKeyIdOf(publicKey),
      normalizedPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
  } catch {
    return undefined;
  }
}

/**
 * Registers a P-256 public key for the caller's publisher once the caller proved it holds the
 * private key. A key belongs to its first publisher for good: the conditional write decides
 * races, another publisher gets PUBLISHER_KEY_EXISTS, and a revoked key stays revoked for
 * everyone (PUBLISHER_KEY_REVOKED). The same live key again is idempotent (`isNew: false`).
 * A new key commits its record with it; a repeat stores nothing, so its record is appended.
 */
export function registerPublisherKey(
  request: RegisterPublisherKeyRequest,
  actor: MarketplaceActor,
  deps: MarketplaceDependencies,
): Promise<{ key: PublisherKey; isNew: boolean }> {
  const publisherId = publisherIdOf(actor);
  // Parsed before the audit record is built, so that every outcome is audited with the key id.
  const parsed = parseKey(request.publicKeyPem);
  return audited(
    deps,
    {
      action: 'marketplace:register-key',
      actor: actorIdOf(actor),
      tenantId: actor.tenantId,
      requestId: actor.requestId,
      ...(parsed ? { keyId: parsed.keyId } : {}),
    },
    async (commit) => {
      if (!parsed) throw invalidPublisherKey();
      const { publicKey, keyId, normalizedPem } = parsed;
      const now = deps.clock.now();
      verifyKeyPossession(publicKey, { publisherId, keyId }, request.proof, now);
      const outbox = commit();
      const stored = await deps.publisherKeys.register(
        { keyId, publisherId, publicKeyPem: normalizedPem, createdAt: now.toISOString() },
        outbox,
      );
      if (stored.key.publisherId !== publisherId) throw publisherKeyTaken();
      if (stored.key.revokedAt !== undefined) throw publisherKeyRevoked('publicKeyPem');
      if (!stored.isNew) await appendToOutbox(deps, outbox);
      return stored;
    },
  );
}

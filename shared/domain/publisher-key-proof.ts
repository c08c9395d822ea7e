import { z } from 'zod';

/**
 * Registering a publisher key proves possession of its private key: the key signs a statement
 * naming the purpose, the publisher it is registered for, the key itself and the time. Without
 * this anyone with `marketplace:publish` could register someone else's public key, lock its owner
 * out (a key belongs to one publisher) and republish the owner's signed artifacts as their own.
 *
 * The design is stateless (no server-issued challenge to store and expire): a captured proof can
 * only be replayed within the time window, for the same publisher and the same key, which at
 * worst re-registers a key that publisher already proved it holds (idempotent). Another
 * publisher replaying it fails, because the server rebuilds the statement with the publisher id
 * it derives from the caller's verified token, never one the request names.
 */

/**
 * The first line separates this signature's domain from every other thing a publisher key signs
 * (artifact bytes), so a proof can never be passed off as an artifact signature or the reverse.
 * Versioned, so the statement can change without an old signature meaning something new.
 */
export const KEY_POSSESSION_PURPOSE = 'gradiant-plugins publisher-key-possession v1';

/** How far `signedAt` may be from the server's clock, either way: clock skew plus a slow request. */
export const KEY_PROOF_MAX_SKEW_MS = 5 * 60 * 1000;

/** Publisher and key ids are slugs: a newline in either could make two statements read the same. */
const StatementFieldSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9._:-]+$/);

export const KeyPossessionProofSchema = z
  .object({
    /** UTC, ISO 8601 with `Z`: signed exactly as sent, so no re-serialisation can change it. */
    signedAt: z.iso.datetime(),
    /** ECDSA P-256 over SHA-256 of the statement, base64 DER: the encoding artifact signatures use. */
    signature: z
      .string()
      .min(8)
      .max(256)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
  })
  .strict();
export type KeyPossessionProof = z.infer<typeof KeyPossessionProofSchema>;

export interface KeyPossessionClaim {
  readonly publisherId: string;
  readonly keyId: string;
  readonly signedAt: string;
}

/**
 * The canonical bytes both sides sign and verify: four `\n`-terminated lines, in this order.
 * Plain text so that an author without the CLI can produce it with `printf` and `openssl dgst`.
 */
export function keyPossessionStatement(claim: KeyPossessionClaim): Uint8Array {
  const publisherId = StatementFieldSchema.parse(claim.publisherId);
  const keyId = StatementFieldSchema.parse(claim.keyId);
  const signedAt = z.iso.datetime().parse(claim.signedAt);
  return new TextEncoder().encode(
    `${KEY_POSSESSION_PURPOSE}\npublisher: ${publisherId}\nkey: ${keyId}\nsigned-at: ${signedAt}\n`,
  );
}

/** True when `signedAt` lies within KEY_PROOF_MAX_SKEW_MS of `now`, either side. */
export function isWithinProofWindow(signedAt: string, now: Date): boolean {
  const signed = Date.parse(signedAt);
  return Number.isFinite(signed) && Math.abs(now.getTime() - signed) <= KEY_PROOF_MAX_SKEW_MS;
}

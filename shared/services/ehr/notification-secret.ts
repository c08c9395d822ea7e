import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header the EHR sends with each rest-hook notification (set on its `Subscription.channel.header`). */
export const NOTIFICATION_SECRET_HEADER = 'X-Gradiant-Notification-Secret';

/** A fresh per-subscription secret: 32 random bytes, base64url. */
export const newNotificationSecret = (): string => randomBytes(32).toString('base64url');

/** SHA-256 (hex) of a secret: only this is stored on the connection. */
export const notificationSecretSha256 = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * Whether a presented secret is the one whose hash is stored. Both sides are hashed first, so the
 * comparison is of two 32-byte digests in constant time whatever the presented value's length.
 */
export function isNotificationSecret(
  presented: string | undefined,
  storedSha256: string | undefined,
): boolean {
  if (presented === undefined || storedSha256 === undefined || !/^[0-9a-f]{64}$/.test(storedSha256))
    return false;
  const expected = Buffer.from(storedSha256, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(actual, expected);
}

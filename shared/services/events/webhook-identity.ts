import { randomBytes } from 'node:crypto';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_BYTES = 32;

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(SECRET_BYTES).toString('base64')}`;

/**
 * Webhook ids: `wh_` and a ULID (48 bits of milliseconds, 80 random bits, Crockford base32), so
 * a tenant's webhooks list in the order they were made.
 */
export function webhookIdGenerator(clock: Clock): IdGenerator {
  return {
    next: () => {
      let time = clock.now().getTime();
      let timePart = '';
      for (let index = 0; index < 10; index += 1) {
        timePart = (CROCKFORD[time % 32] ?? '0') + timePart;
        time = Math.floor(time / 32);
      }
      const random = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('');
      return `wh_${timePart}${random}`;
    },
  };
}

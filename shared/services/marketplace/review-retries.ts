import { hasErrorCode } from '../../domain/errors/domain-error.ts';

/** Optimistic retries: a lost race re-reads the review and applies the change again. */
const MAX_ATTEMPTS = 8;

export async function withReviewRetries<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const isRace = hasErrorCode(error, 'CONCURRENT_MODIFICATION');
      if (!isRace || tries >= MAX_ATTEMPTS) throw error;
    }
  }
}

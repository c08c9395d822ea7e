import { describe, expect, it } from 'vitest';
import {
  MAX_WEBHOOK_ATTEMPTS,
  nextAttemptAt,
  outcomeOf,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '../../../../shared/domain/webhook-delivery.ts';

const at = new Date('2030-01-07T12:00:00.000Z');
const answered = (status: number) => ({ kind: 'answered', status }) as const;

describe('webhook delivery rules', () => {
  it('waits 5 s, 30 s, 2 min, 10 min, 1 h and 6 h between the seven attempts', () => {
    const delays = WEBHOOK_RETRY_DELAYS_SECONDS.map(
      (_, index) => (nextAttemptAt(index + 1, at).getTime() - at.getTime()) / 1000,
    );

    expect(delays).toEqual([5, 30, 120, 600, 3_600, 21_600]);
    expect(MAX_WEBHOOK_ATTEMPTS).toBe(7);
  });

  it('counts any 2xx as delivered', () => {
    expect([200, 202, 204, 299].map((status) => outcomeOf(answered(status), 1))).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
  });

  it('retries 429, 5xx, timeouts and unreachable receivers', () => {
    expect(outcomeOf(answered(429), 1)).toBe('retrying');
    expect(outcomeOf(answered(500), 1)).toBe('retrying');
    expect(outcomeOf(answered(503), 3)).toBe('retrying');
    expect(outcomeOf({ kind: 'no-answer', code: 'TIMEOUT' }, 1)).toBe('retrying');
    expect(outcomeOf({ kind: 'no-answer', code: 'UNREACHABLE' }, 2)).toBe('retrying');
  });

  it('fails other 4xx, redirects and refused addresses at once, without a retry', () => {
    expect(outcomeOf(answered(400), 1)).toBe('failed');
    expect(outcomeOf(answered(404), 1)).toBe('failed');
    expect(outcomeOf(answered(410), 1)).toBe('failed');
    expect(outcomeOf(answered(302), 1)).toBe('failed');
    expect(outcomeOf({ kind: 'no-answer', code: 'EGRESS_DENIED' }, 1)).toBe('failed');
    expect(outcomeOf({ kind: 'no-answer', code: 'RESPONSE_TOO_LARGE' }, 1)).toBe('failed');
  });

  it('stops retrying after the last attempt', () => {
    expect(outcomeOf(answered(500), MAX_WEBHOOK_ATTEMPTS - 1)).toBe('retrying');
    expect(outcomeOf(answered(500), MAX_WEBHOOK_ATTEMPTS)).toBe('failed');
  });
});

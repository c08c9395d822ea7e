import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const { isNotificationSecret, newNotificationSecret, notificationSecretSha256 } = await import(
  '../../../../../shared/services/ehr/notification-secret.ts'
);

describe('notification secrets', () => {
  it('issues 32 random bytes as base64url, a new one each time', () => {
    const secret = newNotificationSecret();

    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newNotificationSecret()).not.toBe(secret);
  });

  it('accepts the secret whose SHA-256 is stored, and refuses others of any length', () => {
    const stored = notificationSecretSha256('the-secret');

    expect(isNotificationSecret('the-secret', stored)).toBe(true);
    expect(isNotificationSecret('the-secreT', stored)).toBe(false);
    expect(isNotificationSecret('', stored)).toBe(false);
    expect(isNotificationSecret('x'.repeat(10_000), stored)).toBe(false);
    expect(isNotificationSecret(undefined, stored)).toBe(false);
    expect(isNotificationSecret('the-secret', undefined)).toBe(false);
    expect(isNotificationSecret('the-secret', 'not-a-hash')).toBe(false);
  });

  it('compares digests with timingSafeEqual, never with ===', () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();

    isNotificationSecret('wrong', notificationSecretSha256('right'));

    expect(compare).toHaveBeenCalledTimes(1);
    const [actual, expected] = compare.mock.calls[0] ?? [];
    expect((actual as Buffer).length).toBe(32);
    expect((expected as Buffer).length).toBe(32);
  });
});

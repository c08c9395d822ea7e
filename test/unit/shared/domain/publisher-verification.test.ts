import { describe, expect, it } from 'vitest';
import { VerifyPublisherRequestSchema } from '../../../../shared/domain/publisher-verification.ts';

describe('VerifyPublisherRequestSchema', () => {
  it('takes a DNS name, lower-cased and without its trailing dot', () => {
    expect(
      VerifyPublisherRequestSchema.parse({
        method: 'dns-txt',
        domain: 'Acme-Health.COM.',
        baaReference: 'BAA 17',
      }),
    ).toEqual({ method: 'dns-txt', domain: 'acme-health.com', baaReference: 'BAA 17' });
  });

  it.each([
    '10.0.0.1',
    '169.254.169.254',
    '[::1]',
    '::ffff:127.0.0.1',
    'localhost',
    'acme',
    '-acme.com',
    'acme-.com',
    'acme..com',
    'https://acme.com',
    'acme.com/path',
    'acme.com:443',
    `${'a'.repeat(64)}.com`,
  ])('refuses %s as a domain', (domain) => {
    expect(VerifyPublisherRequestSchema.safeParse({ method: 'well-known', domain }).success).toBe(false);
  });

  it('refuses unknown methods and members, and a BAA reference that is not short plain text', () => {
    const parse = (body: unknown) => VerifyPublisherRequestSchema.safeParse(body).success;

    expect(parse({ method: 'email', domain: 'acme.com' })).toBe(false);
    expect(parse({ method: 'dns-txt', domain: 'acme.com', isVerified: true })).toBe(false);
    expect(parse({ method: 'dns-txt', domain: 'acme.com', baaReference: '<b>BAA</b>' })).toBe(false);
    expect(parse({ method: 'dns-txt', domain: 'acme.com', baaReference: 'x'.repeat(201) })).toBe(false);
  });
});

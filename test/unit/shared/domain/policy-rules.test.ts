import { describe, expect, it } from 'vitest';
import {
  isHostAllowed,
  isPermissionAllowed,
  isPublisherKeyTrusted,
} from '../../../../shared/domain/policy-rules.ts';
import { DEFAULT_TENANT_POLICY } from '../../../../shared/domain/tenant-policy.ts';

describe('policy rules', () => {
  it('admits a wildcard host’s subdomains but not its apex or look-alikes', () => {
    const allowed = ['*.example.org', 'api.partner.com'];

    expect(isHostAllowed('fhir.example.org', allowed)).toBe(true);
    expect(isHostAllowed('example.org', allowed)).toBe(false);
    expect(isHostAllowed('evilexample.org', allowed)).toBe(false);
    expect(isHostAllowed('api.partner.com', allowed)).toBe(true);
    expect(isHostAllowed('api.partner.com.evil.io', allowed)).toBe(false);
  });

  it('admits the data permissions and no network host by default', () => {
    expect(isPermissionAllowed('read:patients', DEFAULT_TENANT_POLICY)).toBe(true);
    expect(isPermissionAllowed('network:api.example.com', DEFAULT_TENANT_POLICY)).toBe(false);
  });

  it('trusts a tenant’s own keys and listed keys, and none when the policy admits platform signatures only', () => {
    const listing = { ...DEFAULT_TENANT_POLICY, trustedPublisherKeyIds: ['partner-key'] };
    const platformOnly = { ...listing, minimumSignatureLevel: 'platform' as const };

    expect(isPublisherKeyTrusted(listing, 't-acme', { keyId: 'k1', publisherId: 't-acme' })).toBe(true);
    expect(isPublisherKeyTrusted(listing, 't-acme', { keyId: 'partner-key', publisherId: 'partner' })).toBe(
      true,
    );
    expect(isPublisherKeyTrusted(listing, 't-acme', { keyId: 'k2', publisherId: 't-globex' })).toBe(false);
    expect(isPublisherKeyTrusted(platformOnly, 't-acme', { keyId: 'k1', publisherId: 't-acme' })).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { loadAuditDigestConfig } from '../../../../functions/audit-digest/config.ts';

const deployed = { AUDIT_TABLE: 'audit', COMPLIANCE_LOG_BUCKET: 'compliance' };

describe('the audit-digest function’s config', () => {
  it('needs the digest key: KMS deployed, a key file locally', () => {
    expect(
      loadAuditDigestConfig({ ...deployed, AUDIT_DIGEST_KEY_ID: 'arn:aws:kms:eu-west-1:1:key/k' })
        .PLATFORM_MODE,
    ).toBe('aws');
    expect(() => loadAuditDigestConfig(deployed)).toThrow(/AUDIT_DIGEST_KEY_ID/);
    expect(() =>
      loadAuditDigestConfig({
        ...deployed,
        PLATFORM_MODE: 'local',
        AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000',
        AWS_ENDPOINT_URL_S3: 'http://localhost:9000',
      }),
    ).toThrow(/LOCAL_AUDIT_DIGEST_KEY_FILE/);
  });

  it('refuses the local key file when deployed', () => {
    expect(() =>
      loadAuditDigestConfig({
        ...deployed,
        AUDIT_DIGEST_KEY_ID: 'k',
        LOCAL_AUDIT_DIGEST_KEY_FILE: '.data/keys/k.pem',
      }),
    ).toThrow(/LOCAL_AUDIT_DIGEST_KEY_FILE is a local key file/);
  });
});

import { describe, expect, it } from 'vitest';
import { LifecycleConfigSchema } from '../../../../functions/lifecycle/config.ts';
import { MarketplaceConfigSchema } from '../../../../functions/marketplace/config.ts';
import { createCursorCodec } from '../../../../shared/wiring/cursor-codec.ts';

const base = {
  JWT_ISSUER: 'https://id.gradiant-tests.net/',
  JWT_AUDIENCE: 'gradiant-plugins',
  JWT_JWKS_URL: 'https://id.gradiant-tests.net/.well-known/jwks.json',
  PLUGINS_TABLE: 'plugins-table',
  MARKETPLACE_TABLE: 'marketplace-table',
  AUDIT_TABLE: 'audit-table',
  ARTIFACT_BUCKET: 'artifact-bucket',
  COMPLIANCE_LOG_BUCKET: 'compliance-bucket',
  SIGNING_KEY_ID: 'alias/signing',
};
const local = {
  LOCAL_SIGNING_KEY_FILE: '/tmp/signing.pem',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
};

describe('cursor key configuration (fail closed)', () => {
  it.each([
    ['lifecycle', LifecycleConfigSchema],
    ['marketplace', MarketplaceConfigSchema],
  ])('the %s function refuses to start without a cursor key, deployed or local', (_name, schema) => {
    const deployed = schema.safeParse({ ...base, PLATFORM_MODE: 'aws' });
    const localWithoutKey = schema.safeParse({ ...base, ...local, PLATFORM_MODE: 'local' });

    expect(deployed.success).toBe(false);
    expect(deployed.error?.issues.map((issue) => issue.path.join('.'))).toContain('CURSOR_KEY_ID');
    expect(localWithoutKey.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['CURSOR_KEY_ID']);
    expect(schema.safeParse({ ...base, PLATFORM_MODE: 'aws', CURSOR_KEY_ID: 'alias/cursor' }).success).toBe(
      true,
    );
  });

  it('builds no codec without a key', () => {
    expect(() => createCursorCodec({ PLATFORM_MODE: 'aws' })).toThrow(/CURSOR_KEY_ID/);
    expect(() => createCursorCodec({ PLATFORM_MODE: 'local' })).toThrow(/LOCAL_CURSOR_KEY_FILE/);
  });
});

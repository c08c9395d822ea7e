import { describe, expect, it } from 'vitest';
import { AuditConfigSchema } from '../../../../functions/audit/config.ts';
import { ExecutionConfigSchema } from '../../../../functions/execution/config.ts';
import { LifecycleConfigSchema } from '../../../../functions/lifecycle/config.ts';
import { MarketplaceConfigSchema } from '../../../../functions/marketplace/config.ts';
import { parseEnv } from '../../../../shared/config/parse-env.ts';

const DEPLOYED = {
  PLATFORM_MODE: 'aws',
  JWT_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
  JWT_AUDIENCE: 'gradiant-plugins',
  JWT_JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool/.well-known/jwks.json',
  PLUGINS_TABLE: 'plugins-table',
  MARKETPLACE_TABLE: 'marketplace-table',
  AUDIT_TABLE: 'audit-table',
  ARTIFACT_BUCKET: 'artifact-bucket',
  COMPLIANCE_LOG_BUCKET: 'compliance-bucket',
  SIGNING_KEY_ID: 'arn:aws:kms:eu-west-1:000000000000:key/signing',
  CURSOR_KEY_ID: 'arn:aws:kms:eu-west-1:000000000000:key/cursor',
};

const LOCAL = {
  ...DEPLOYED,
  PLATFORM_MODE: 'local',
  JWT_ISSUER: 'urn:gradiant:local-issuer',
  JWT_JWKS: JSON.stringify({ keys: [] }),
  LOCAL_SIGNING_KEY_FILE: '/data/keys/platform-signing-key.pem',
  LOCAL_CURSOR_KEY_FILE: '/data/keys/cursor-key.bin',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
};

const SCHEMAS = [
  ['lifecycle', LifecycleConfigSchema],
  ['marketplace', MarketplaceConfigSchema],
  ['audit', AuditConfigSchema],
] as const;

/** The refusals of a deployed config with `settings` over the deployed ones, as "KEY: message". */
function refusalsOf(schema: (typeof SCHEMAS)[number][1], settings: Record<string, string>): string[] {
  const result = schema.safeParse({ ...DEPLOYED, ...settings });
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('an AWS-mode config refuses local-only settings, naming each', () => {
  it.each(SCHEMAS)('the %s function starts with deployed settings', (_name, schema) => {
    expect(refusalsOf(schema, {})).toEqual([]);
  });

  it.each(SCHEMAS)('the %s function refuses an inline JWKS', (_name, schema) => {
    expect(refusalsOf(schema, { JWT_JWKS: LOCAL.JWT_JWKS })).toEqual([
      expect.stringMatching(/^JWT_JWKS: JWT_JWKS is an inline JWKS .* JWT_JWKS_URL/),
    ]);
  });

  it.each(SCHEMAS)(
    'the %s function refuses the local issuer and other non-https issuers',
    (_name, schema) => {
      for (const issuer of [
        'urn:gradiant:local-issuer',
        'http://id.gradiant-tests.net/',
        'https://localhost:9000/',
        // Reserved names (RFC 2606, 6761): cdk.json's and the README's placeholders.
        'https://auth.example.invalid/',
        'https://id.example.org/',
        'https://issuer.example.test/',
      ])
        expect(refusalsOf(schema, { JWT_ISSUER: issuer })).toEqual([
          expect.stringMatching(/^JWT_ISSUER: JWT_ISSUER must be the identity provider’s https URL/),
        ]);
    },
  );

  it.each(SCHEMAS)('the %s function refuses a JWKS URL on this machine', (_name, schema) => {
    expect(refusalsOf(schema, { JWT_JWKS_URL: 'http://127.0.0.1:4000/jwks.json' })).toEqual([
      expect.stringMatching(/^JWT_JWKS_URL: /),
    ]);
  });

  it.each(SCHEMAS)('the %s function refuses local key files', (_name, schema) => {
    expect(
      refusalsOf(schema, {
        LOCAL_SIGNING_KEY_FILE: LOCAL.LOCAL_SIGNING_KEY_FILE,
        LOCAL_CURSOR_KEY_FILE: LOCAL.LOCAL_CURSOR_KEY_FILE,
      }),
    ).toEqual([
      expect.stringMatching(/^LOCAL_SIGNING_KEY_FILE: LOCAL_SIGNING_KEY_FILE is a local key file/),
      expect.stringMatching(/^LOCAL_CURSOR_KEY_FILE: LOCAL_CURSOR_KEY_FILE is a local key file/),
    ]);
  });

  it.each(SCHEMAS)('the %s function refuses stand-in endpoints, not other ones', (_name, schema) => {
    expect(
      refusalsOf(schema, {
        AWS_ENDPOINT_URL_DYNAMODB: 'http://localhost:8000',
        AWS_ENDPOINT_URL_S3: 'http://[::1]:4569',
      }),
    ).toEqual([
      expect.stringMatching(/^AWS_ENDPOINT_URL_DYNAMODB: .* points at a local stand-in/),
      expect.stringMatching(/^AWS_ENDPOINT_URL_S3: .* points at a local stand-in/),
    ]);
    expect(
      refusalsOf(schema, {
        AWS_ENDPOINT_URL_DYNAMODB: 'https://vpce-1.dynamodb.eu-west-1.vpce.amazonaws.com',
      }),
    ).toEqual([]);
  });

  it('refuses them in the execution function too, which has no token settings', () => {
    const { JWT_ISSUER: _issuer, JWT_AUDIENCE: _audience, JWT_JWKS_URL: _url, ...execution } = DEPLOYED;

    expect(ExecutionConfigSchema.safeParse(execution).success).toBe(true);
    expect(
      ExecutionConfigSchema.safeParse({ ...execution, LOCAL_SIGNING_KEY_FILE: LOCAL.LOCAL_SIGNING_KEY_FILE })
        .error?.issues[0]?.path,
    ).toEqual(['LOCAL_SIGNING_KEY_FILE']);
  });

  it('the marketplace function refuses the local publisher proof stand-in, and accepts it locally', () => {
    const standIn = { PUBLISHER_PROOF_LOOPBACK_ORIGIN: 'http://127.0.0.1:4020' };

    expect(refusalsOf(MarketplaceConfigSchema, standIn)).toEqual([
      expect.stringMatching(/^PUBLISHER_PROOF_LOOPBACK_ORIGIN: .*public domains only/),
    ]);
    expect(MarketplaceConfigSchema.parse({ ...LOCAL, ...standIn }).PUBLISHER_PROOF_LOOPBACK_ORIGIN).toBe(
      'http://127.0.0.1:4020',
    );
  });

  it('fails a cold start with every refused setting named in one error', () => {
    const { PLATFORM_MODE: _mode, ...localSettings } = LOCAL;

    expect(() => parseEnv(LifecycleConfigSchema, { ...localSettings, PLATFORM_MODE: 'aws' })).toThrow(
      /JWT_JWKS:[\s\S]*JWT_ISSUER:[\s\S]*LOCAL_SIGNING_KEY_FILE:[\s\S]*LOCAL_CURSOR_KEY_FILE:[\s\S]*AWS_ENDPOINT_URL_DYNAMODB:[\s\S]*AWS_ENDPOINT_URL_S3:/,
    );
  });
});

describe('a local-mode config', () => {
  it.each(SCHEMAS)('the %s function accepts every local-only setting', (_name, schema) => {
    expect(schema.safeParse(LOCAL).success).toBe(true);
  });

  it.each(SCHEMAS)('the %s function needs the stand-ins’ endpoints', (_name, schema) => {
    const { AWS_ENDPOINT_URL_S3: _s3, ...withoutS3 } = LOCAL;

    expect(schema.safeParse(withoutS3).error?.issues.map((issue) => issue.message)).toEqual([
      'AWS_ENDPOINT_URL_S3 is required locally: the endpoint of its stand-in',
    ]);
  });
});

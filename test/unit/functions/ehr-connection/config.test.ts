import { describe, expect, it } from 'vitest';
import { loadEhrConnectionConfig } from '../../../../functions/ehr-connection/config.ts';

const BASE = {
  PLUGINS_TABLE: 'plugins',
  MARKETPLACE_TABLE: 'marketplace',
  AUDIT_TABLE: 'audit',
  ARTIFACT_BUCKET: 'artifacts',
  COMPLIANCE_LOG_BUCKET: 'compliance',
  JWT_ISSUER: 'https://id.gradiant-tests.net/',
  JWT_AUDIENCE: 'gradiant-plugins',
};
const DEPLOYED = {
  ...BASE,
  PLATFORM_MODE: 'aws',
  JWT_JWKS_URL: 'https://id.gradiant-tests.net/.well-known/jwks.json',
  PUBLIC_API_BASE_URL: 'https://api.gradiant-tests.net',
};
const LOCAL = {
  ...BASE,
  PLATFORM_MODE: 'local',
  JWT_JWKS: '{"keys":[]}',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
  PUBLIC_API_BASE_URL: 'http://localhost:3000',
  LOCAL_EHR_KEYS_DIRECTORY: '.data/keys/ehr',
};

describe('ehr-connection config', () => {
  it('accepts loopback EHR origins locally, as origins', () => {
    const config = loadEhrConnectionConfig({
      ...LOCAL,
      EHR_LOOPBACK_ORIGINS: 'http://127.0.0.1:4010/, http://localhost:4011',
    });

    expect(config.EHR_LOOPBACK_ORIGINS).toEqual(['http://127.0.0.1:4010', 'http://localhost:4011']);
  });

  it('refuses loopback EHR origins and a local key directory when deployed', () => {
    expect(() =>
      loadEhrConnectionConfig({
        ...DEPLOYED,
        EHR_LOOPBACK_ORIGINS: 'http://127.0.0.1:4010',
        LOCAL_EHR_KEYS_DIRECTORY: '/tmp/keys',
      }),
    ).toThrow(
      /EHR_LOOPBACK_ORIGINS[\s\S]*LOCAL_EHR_KEYS_DIRECTORY|LOCAL_EHR_KEYS_DIRECTORY[\s\S]*EHR_LOOPBACK_ORIGINS/,
    );
  });

  it('needs an https public base when deployed, and a key directory locally', () => {
    expect(() =>
      loadEhrConnectionConfig({ ...DEPLOYED, PUBLIC_API_BASE_URL: 'http://api.gradiant-tests.net' }),
    ).toThrow(/PUBLIC_API_BASE_URL/);
    expect(() => loadEhrConnectionConfig({ ...LOCAL, LOCAL_EHR_KEYS_DIRECTORY: undefined })).toThrow(
      /LOCAL_EHR_KEYS_DIRECTORY/,
    );
    expect(loadEhrConnectionConfig(DEPLOYED).EHR_LOOPBACK_ORIGINS).toBeUndefined();
  });
});

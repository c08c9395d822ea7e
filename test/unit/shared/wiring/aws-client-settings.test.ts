import { describe, expect, it } from 'vitest';
import { dynamoDbClientSettings, s3ClientSettings } from '../../../../shared/wiring/aws-client-settings.ts';

const local = {
  PLATFORM_MODE: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
  S3_FORCE_PATH_STYLE: true,
} as const;

describe('AWS client settings', () => {
  it('leave region, credentials and endpoints to the Lambda environment when deployed', () => {
    const deployed = { PLATFORM_MODE: 'aws', S3_FORCE_PATH_STYLE: false } as const;

    expect(dynamoDbClientSettings(deployed)).toEqual({});
    expect(s3ClientSettings(deployed)).toEqual({ forcePathStyle: false });
  });

  it('point the clients at the config’s stand-ins locally, with s3rver’s credentials and checksums', () => {
    expect(dynamoDbClientSettings(local)).toMatchObject({
      endpoint: 'http://127.0.0.1:8000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    expect(s3ClientSettings(local)).toMatchObject({
      endpoint: 'http://127.0.0.1:4569',
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  });
});

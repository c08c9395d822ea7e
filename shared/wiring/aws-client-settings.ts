import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import type { AdaptersEnv } from '../config/adapters-env.ts';

type ClientEnv = Pick<
  AdaptersEnv,
  'PLATFORM_MODE' | 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL_S3' | 'S3_FORCE_PATH_STYLE'
>;

/**
 * The stand-ins' region and credentials: s3rver accepts only its fixed S3RVER pair, and DynamoDB
 * Local (`-sharedDb`) any. Given to the clients explicitly, so that two local platforms in one
 * process, or a developer's own AWS variables, never see each other's settings.
 */
const STAND_IN_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
} as const;

/** Deployed, the SDK reads region, credentials and endpoints from the Lambda environment itself. */
export function dynamoDbClientSettings(env: ClientEnv): DynamoDBClientConfig {
  if (env.PLATFORM_MODE === 'aws') return {};
  return { ...STAND_IN_CLIENT, endpoint: env.AWS_ENDPOINT_URL_DYNAMODB };
}

export function s3ClientSettings(env: ClientEnv): S3ClientConfig {
  if (env.PLATFORM_MODE === 'aws') return { forcePathStyle: env.S3_FORCE_PATH_STYLE };
  return {
    ...STAND_IN_CLIENT,
    endpoint: env.AWS_ENDPOINT_URL_S3,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    // Otherwise a streamed body is sent aws-chunked, and s3rver stores the framing as the object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_BUCKET_NAMES } from './local-buckets.ts';
import type { LocalIssuer } from './local-issuer.ts';
import { LOCAL_TABLE_NAMES } from './local-tables.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
export const PLATFORM_VERSION = version;

/**
 * The environment the CDK stacks give each function in AWS, with local values. The SDK reads the
 * standard `AWS_ENDPOINT_URL_<SERVICE>` variables, so the handlers build their clients exactly as
 * deployed and reach the stand-ins. The S3RVER credentials are s3rver's fixed local ones.
 */
export function buildLocalEnvironment(options: {
  dataDirectory: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  issuer: LocalIssuer;
  standIns: Record<string, { version: string }>;
}): Record<string, string> {
  return {
    PLATFORM_MODE: 'local',
    PLATFORM_VERSION,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: options.dynamodbEndpoint,
    AWS_ENDPOINT_URL_S3: options.s3Endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    S3_FORCE_PATH_STYLE: 'true',
    PLUGINS_TABLE: LOCAL_TABLE_NAMES.plugins,
    MARKETPLACE_TABLE: LOCAL_TABLE_NAMES.marketplace,
    EHR_TABLE: LOCAL_TABLE_NAMES.ehr,
    ARTIFACT_BUCKET: LOCAL_BUCKET_NAMES.artifacts,
    COMPLIANCE_LOG_BUCKET: LOCAL_BUCKET_NAMES.complianceLog,
    EVENT_BUS_NAME: 'gradiant-plugins-local',
    LOCAL_SIGNING_KEY_FILE: join(options.dataDirectory, 'keys', 'platform-signing-key.pem'),
    LOCAL_CURSOR_KEY_FILE: join(options.dataDirectory, 'keys', 'cursor-key.bin'),
    JWT_ISSUER: options.issuer.issuer,
    JWT_AUDIENCE: options.issuer.audience,
    JWT_JWKS: JSON.stringify(options.issuer.jwks),
    STAND_IN_VERSIONS: JSON.stringify(
      Object.fromEntries(Object.entries(options.standIns).map(([name, standIn]) => [name, standIn.version])),
    ),
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  };
}

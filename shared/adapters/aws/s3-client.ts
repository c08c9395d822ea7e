import { S3Client } from '@aws-sdk/client-s3';

/**
 * Path-style addressing is only for s3rver (the local stand-in); the endpoint itself comes from
 * the standard `AWS_ENDPOINT_URL_S3` variable, and checksum behaviour from
 * `AWS_REQUEST_CHECKSUM_CALCULATION` / `AWS_RESPONSE_CHECKSUM_VALIDATION`.
 */
export function createS3Client(options: { forcePathStyle: boolean }): S3Client {
  return new S3Client({ forcePathStyle: options.forcePathStyle });
}

import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * Deployed, the settings are only `forcePathStyle` (false) and the SDK reads the rest from the
 * Lambda environment; locally they point at s3rver (see `shared/wiring/aws-client-settings.ts`).
 */
export function createS3Client(settings: S3ClientConfig): S3Client {
  return new S3Client(settings);
}

import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ArtifactUpload, ArtifactUploads } from '../../ports/artifact-uploads.ts';

/** Short enough that a leaked URL is soon useless; long enough for a slow connection to upload 1 MiB. */
const UPLOAD_URL_SECONDS = 900;

const uploadKey = (publisherId: string, uploadId: string) =>
  `uploads/${encodeURIComponent(publisherId)}/${uploadId}`;

/**
 * Presigned PUTs into a staging prefix, one key per publisher and upload id: a publisher can only
 * ever publish from its own uploads. The declared length is part of the signature, so S3 refuses
 * a body of another size; the read also stops at the limit. The bytes are trusted only after the
 * publisher signature over them verifies.
 */
export class S3UploadPresigner implements ArtifactUploads {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async createUpload(request: {
    publisherId: string;
    uploadId: string;
    sizeBytes: number;
    sha256: string;
  }): Promise<ArtifactUpload> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: uploadKey(request.publisherId, request.uploadId),
      ContentLength: request.sizeBytes,
      ContentType: 'text/javascript',
    });
    const url = await getSignedUrl(this.client, command, {
      expiresIn: UPLOAD_URL_SECONDS,
      signableHeaders: new Set(['content-length', 'content-type']),
    });
    return {
      uploadId: request.uploadId,
      url,
      method: 'PUT',
      headers: { 'content-length': String(request.sizeBytes), 'content-type': 'text/javascript' },
      expiresAt: new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    };
  }

  async readUpload(publisherId: string, uploadId: string, maxBytes: number): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: uploadKey(publisherId, uploadId) }),
      );
      if (!result.Body || (result.ContentLength ?? Number.POSITIVE_INFINITY) > maxBytes) {
        (result.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return undefined;
      }
      const bytes = await result.Body.transformToByteArray();
      return bytes.byteLength > maxBytes ? undefined : bytes;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

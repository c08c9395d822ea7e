/**
 * Large artifacts go straight to S3 through a short-lived presigned PUT, into a staging key owned
 * by the publisher; publishing reads, checks and copies them into the content-addressed store.
 */
export interface ArtifactUpload {
  readonly uploadId: string;
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}

export interface ArtifactUploads {
  createUpload(request: {
    publisherId: string;
    uploadId: string;
    sizeBytes: number;
    sha256: string;
  }): Promise<ArtifactUpload>;
  /** The uploaded bytes, or undefined when absent or larger than `maxBytes` (never read past it). */
  readUpload(publisherId: string, uploadId: string, maxBytes: number): Promise<Uint8Array | undefined>;
}

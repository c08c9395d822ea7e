import type { ArtifactUpload } from '../domain/marketplace-views.ts';

export type { ArtifactUpload } from '../domain/marketplace-views.ts';

/** Presigned uploads of large artifacts into a staging key owned by the publisher. */
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

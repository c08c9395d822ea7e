import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { artifactTampered } from '../../domain/errors/package-errors.ts';
import { sha256Hex } from '../../domain/signatures.ts';
import type { ArtifactStore, SignedStatement } from '../../ports/artifact-store.ts';

export const storedArtifactTampered = (sha256: string) =>
  artifactTampered(`The stored artifact ${sha256} does not match its digest.`);

const artifactKey = (sha256: string) => `artifacts/sha256/${sha256}`;
const statementKey = (pluginId: string, version: string) =>
  `statements/${encodeURIComponent(pluginId)}/${encodeURIComponent(version)}.json`;

/** Artifacts in a versioned, KMS-encrypted bucket, keyed by digest (AWS and s3rver alike). */
export class S3ArtifactStore implements ArtifactStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async putArtifact(bytes: Uint8Array): Promise<{ sha256: string }> {
    const sha256 = sha256Hex(bytes);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: artifactKey(sha256),
        Body: bytes,
        ContentType: 'text/javascript',
      }),
    );
    return { sha256 };
  }

  async getArtifact(sha256: string): Promise<Uint8Array | undefined> {
    const bytes = await this.read(artifactKey(sha256));
    if (bytes === undefined) return undefined;
    if (sha256Hex(bytes) !== sha256) throw storedArtifactTampered(sha256);
    return bytes;
  }

  async putStatement(pluginId: string, version: string, statement: SignedStatement): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: statementKey(pluginId, version),
        Body: JSON.stringify(statement),
        ContentType: 'application/json',
      }),
    );
  }

  async getStatement(pluginId: string, version: string): Promise<SignedStatement | undefined> {
    const bytes = await this.read(statementKey(pluginId, version));
    if (bytes === undefined) return undefined;
    const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as SignedStatement;
    return {
      payload: String(parsed.payload),
      keyId: String(parsed.keyId),
      signature: String(parsed.signature),
    };
  }

  private async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return result.Body ? await result.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { type OsvRecord, OsvRecordSchema } from '../../domain/dependency-scan.ts';
import type { AdvisoryDatabaseStore, StoredAdvisoryDatabase } from '../../ports/advisory-database-store.ts';

export const ADVISORY_DATABASE_KEY = 'advisories/osv-npm.json';
const StoredSchema = z.object({ version: z.string().min(1), records: z.array(OsvRecordSchema) });
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The advisory database as one gzipped JSON object in the artifact bucket (encrypted with the
 * bucket's KMS key by default, versioned). Missing: `undefined`. Unreadable or invalid: an error,
 * so the caller keeps the copy it has rather than serving a broken one.
 */
export class S3AdvisoryDatabaseStore implements AdvisoryDatabaseStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async read(): Promise<StoredAdvisoryDatabase | undefined> {
    try {
      const result = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: ADVISORY_DATABASE_KEY }),
      );
      if (!result.Body) return undefined;
      const text = (await gunzipAsync(await result.Body.transformToByteArray())).toString('utf8');
      return StoredSchema.parse(JSON.parse(text));
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async write(records: readonly OsvRecord[], version: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: ADVISORY_DATABASE_KEY,
        Body: await gzipAsync(JSON.stringify({ version, records })),
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
      }),
    );
  }
}

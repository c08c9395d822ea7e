import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { CatalogueEntrySchema } from '../../domain/marketplace.ts';
import type { CatalogueSnapshot, CatalogueSnapshots } from '../../ports/catalogue-snapshots.ts';

const SNAPSHOT_KEY = 'search/catalogue-snapshot.json.gz';
const SnapshotSchema = z.object({
  takenAt: z.iso.datetime(),
  entries: z.array(CatalogueEntrySchema),
  /** The search engine's serialized index; its reader checks it against the entries. */
  index: z.unknown().optional(),
});
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The catalogue snapshot as one gzipped JSON object in the artifact bucket (KMS-encrypted,
 * versioned). A missing or unreadable snapshot is not an error: the caller falls back to the table.
 */
export class S3CatalogueSnapshots implements CatalogueSnapshots {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  async read(): Promise<CatalogueSnapshot | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: SNAPSHOT_KEY }));
      if (!result.Body) return undefined;
      const text = (await gunzipAsync(await result.Body.transformToByteArray())).toString('utf8');
      const parsed = SnapshotSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  async write(snapshot: CatalogueSnapshot): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: SNAPSHOT_KEY,
        Body: await gzipAsync(JSON.stringify(snapshot)),
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
      }),
    );
  }
}

import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AuditDigest, ChainedRecord } from '../../domain/audit-chain/chain-format.ts';
import type {
  AuditChainStore,
  AuditChainWriter,
  PeriodRange,
  SeqRange,
} from '../../ports/audit-chain-store.ts';

const PREFIX = 'audit-chain';
const SEQ_DIGITS = 12;

export const auditChainRecordKey = (tenantId: string, seq: number) =>
  `${PREFIX}/${tenantId}/records/${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
export const auditChainDigestKey = (tenantId: string, periodStart: string) =>
  `${PREFIX}/${tenantId}/digests/${periodStart}.json`;

/** The chain in an S3 bucket (the compliance-log bucket deployed, s3rver locally). */
export class S3AuditChainStore implements AuditChainStore, AuditChainWriter {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.client = client;
    this.bucket = bucket;
  }

  /**
   * One listing per tenant: the first key after the previous tenant's subtree names the next one
   * (`<t>0` sorts right after every `<t>/…` key), so no tenant's records are walked.
   */
  async listTenants(): Promise<string[]> {
    const tenants: string[] = [];
    for (let startAfter: string | undefined; ; ) {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: `${PREFIX}/`,
          ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
        }),
      );
      const tenantId = page.Contents?.[0]?.Key?.slice(PREFIX.length + 1).split('/', 1)[0];
      if (!tenantId) return tenants;
      tenants.push(tenantId);
      startAfter = `${PREFIX}/${tenantId}0`;
    }
  }

  async listRecordKeys(tenantId: string, range: SeqRange = {}): Promise<string[]> {
    // Keys sort by seq, so a listing from a seq starts after its predecessor's key: the hourly
    // digest run lists only the records since its last digest, not the whole chain.
    const startAfter =
      range.fromSeq === undefined || range.fromSeq <= 1
        ? undefined
        : auditChainRecordKey(tenantId, range.fromSeq - 1);
    const keys = await this.list(`${PREFIX}/${tenantId}/records/`, startAfter);
    const from = range.fromSeq === undefined ? undefined : auditChainRecordKey(tenantId, range.fromSeq);
    const to = range.toSeq === undefined ? undefined : auditChainRecordKey(tenantId, range.toSeq);
    return keys.filter((key) => (from === undefined || key >= from) && (to === undefined || key <= to));
  }

  async listDigestKeys(tenantId: string, range: PeriodRange = {}): Promise<string[]> {
    const keys = await this.list(`${PREFIX}/${tenantId}/digests/`);
    const from = range.from === undefined ? undefined : auditChainDigestKey(tenantId, range.from);
    const to = range.to === undefined ? undefined : auditChainDigestKey(tenantId, range.to);
    return keys.filter((key) => (from === undefined || key >= from) && (to === undefined || key <= to));
  }

  async read(objectKey: string): Promise<string | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return result.Body ? await result.Body.transformToString('utf8') : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async putRecord(record: ChainedRecord): Promise<void> {
    await this.put(auditChainRecordKey(record.tenantId, record.seq), record);
  }

  async putDigest(digest: AuditDigest): Promise<void> {
    await this.put(auditChainDigestKey(digest.tenantId, digest.periodStart), digest);
  }

  private async put(objectKey: string, value: ChainedRecord | AuditDigest): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: objectKey,
        Body: JSON.stringify(value),
        ContentType: 'application/json',
      }),
    );
  }

  private async list(prefix: string, startAfter?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}

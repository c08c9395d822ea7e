import {
  auditChainDigestKey,
  auditChainRecordKey,
} from '../../../shared/adapters/aws/s3-audit-chain-store.ts';
import type { AuditDigest, ChainedRecord } from '../../../shared/domain/audit-chain/chain-format.ts';
import type { StoredChainObject } from '../../../shared/domain/audit-chain/verify-chain.ts';
import type {
  AuditChainStore,
  AuditChainWriter,
  PeriodRange,
  SeqRange,
} from '../../../shared/ports/audit-chain-store.ts';

/** The chain's objects by key, listed in key order as S3 lists them (keys as the S3 adapter names them). */
export class InMemoryAuditChainStore implements AuditChainStore, AuditChainWriter {
  readonly objects = new Map<string, string>();
  /** Puts to refuse before accepting again (a bucket briefly unavailable). */
  failPuts = 0;

  constructor(objects: readonly StoredChainObject[] = []) {
    for (const object of objects) this.objects.set(object.objectKey, object.text);
  }

  private keys(prefix: string): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async listTenants(): Promise<string[]> {
    const tenants = this.keys('audit-chain/').map((key) => key.split('/')[1] ?? '');
    return [...new Set(tenants)].filter(Boolean).sort();
  }

  async listRecordKeys(tenantId: string, range: SeqRange = {}): Promise<string[]> {
    return this.keys(`audit-chain/${tenantId}/records/`).filter((key) => {
      const seq = Number(key.split('/').at(-1)?.replace('.json', ''));
      return (
        (range.fromSeq === undefined || seq >= range.fromSeq) &&
        (range.toSeq === undefined || seq <= range.toSeq)
      );
    });
  }

  async listDigestKeys(tenantId: string, range: PeriodRange = {}): Promise<string[]> {
    const from = range.from === undefined ? undefined : auditChainDigestKey(tenantId, range.from);
    const to = range.to === undefined ? undefined : auditChainDigestKey(tenantId, range.to);
    return this.keys(`audit-chain/${tenantId}/digests/`).filter(
      (key) => (from === undefined || key >= from) && (to === undefined || key <= to),
    );
  }

  async read(objectKey: string): Promise<string | undefined> {
    return this.objects.get(objectKey);
  }

  async putRecord(record: ChainedRecord): Promise<void> {
    this.put(auditChainRecordKey(record.tenantId, record.seq), JSON.stringify(record));
  }

  async putDigest(digest: AuditDigest): Promise<void> {
    this.put(auditChainDigestKey(digest.tenantId, digest.periodStart), JSON.stringify(digest));
  }

  /** The chained records of a tenant, in seq order. */
  records(tenantId: string): ChainedRecord[] {
    return this.keys(`audit-chain/${tenantId}/records/`).map(
      (key) => JSON.parse(this.objects.get(key) ?? '') as ChainedRecord,
    );
  }

  private put(key: string, text: string): void {
    if (this.failPuts > 0) {
      this.failPuts -= 1;
      throw Object.assign(new Error('bucket unavailable'), { name: 'ServiceUnavailable' });
    }
    this.objects.set(key, text);
  }
}

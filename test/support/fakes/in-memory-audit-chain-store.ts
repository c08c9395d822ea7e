import type { StoredChainObject } from '../../../shared/domain/audit-chain/verify-chain.ts';
import type { AuditChainStore, PeriodRange, SeqRange } from '../../../shared/ports/audit-chain-store.ts';

/** The chain's objects by key, listed in key order as S3 lists them. */
export class InMemoryAuditChainStore implements AuditChainStore {
  readonly objects = new Map<string, string>();

  constructor(objects: readonly StoredChainObject[] = []) {
    for (const object of objects) this.objects.set(object.objectKey, object.text);
  }

  private keys(prefix: string): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
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

  async listDigestKeys(tenantId: string, _range?: PeriodRange): Promise<string[]> {
    return this.keys(`audit-chain/${tenantId}/digests/`);
  }

  async read(objectKey: string): Promise<string | undefined> {
    return this.objects.get(objectKey);
  }
}

import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from '../../../shared/ports/idempotency-store.ts';

export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly records = new Map<string, { hash: string; response?: StoredResponse }>();

  async claim(tenantId: string, scope: string, key: string, requestHash: string): Promise<IdempotencyClaim> {
    const id = `${tenantId}/${scope}/${key}`;
    const existing = this.records.get(id);
    if (!existing) {
      this.records.set(id, { hash: requestHash });
      return { kind: 'claimed' };
    }
    if (existing.hash !== requestHash) return { kind: 'mismatch' };
    return existing.response ? { kind: 'replay', response: existing.response } : { kind: 'in-progress' };
  }

  async complete(tenantId: string, scope: string, key: string, response: StoredResponse) {
    const record = this.records.get(`${tenantId}/${scope}/${key}`);
    if (record) record.response = structuredClone(response);
  }

  async release(tenantId: string, scope: string, key: string) {
    this.records.delete(`${tenantId}/${scope}/${key}`);
  }
}

export interface StoredResponse {
  readonly status: number;
  readonly body?: unknown;
}

export type IdempotencyClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-progress' };

/**
 * Records of `Idempotency-Key` requests per tenant: the first request claims the key with a hash
 * of its body; a retry with the same hash replays the stored response.
 */
export interface IdempotencyStore {
  claim(
    tenantId: string,
    scope: string,
    key: string,
    requestHash: string,
    now: Date,
  ): Promise<IdempotencyClaim>;
  complete(tenantId: string, scope: string, key: string, response: StoredResponse, now: Date): Promise<void>;
  /** Frees the key after a failure that a retry may cure (5xx). */
  release(tenantId: string, scope: string, key: string): Promise<void>;
}

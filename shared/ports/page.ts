export interface PageRequest {
  readonly limit: number;
  /** Opaque; only the adapter that issued it can read it. */
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | undefined;
}

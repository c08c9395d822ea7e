import type { OsvRecord } from '../domain/dependency-scan.ts';

/** The advisory database as the platform last stored it: refreshed from OSV, plus private advisories. */
export interface StoredAdvisoryDatabase {
  readonly version: string;
  readonly records: readonly OsvRecord[];
}

/** Where the refreshed advisory database is kept (one object in the artifact bucket). */
export interface AdvisoryDatabaseStore {
  /** `undefined` when nothing was stored yet; throws when the store cannot be read. */
  read(): Promise<StoredAdvisoryDatabase | undefined>;
  write(records: readonly OsvRecord[], version: string): Promise<void>;
}

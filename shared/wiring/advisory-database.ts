import { S3AdvisoryDatabaseStore } from '../adapters/aws/s3-advisory-database-store.ts';
import type { OsvRecord } from '../domain/dependency-scan.ts';
import type { Logger } from '../observability/logger.ts';
import { AdvisoryRecordIndex } from '../services/scanning/advisory-record-index.ts';
import { RefreshingAdvisoryDatabase } from '../services/scanning/refreshing-advisory-database.ts';
import type { PlatformAdapters } from './platform-adapters.ts';

/** How long an instance serves its copy of the stored advisory database before reading it again. */
export const ADVISORY_DATABASE_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * The shipped snapshot, served until the store holds a refreshed copy. On merging the publish-time
 * scan, this becomes `OsvAdvisoryDatabase.shipped()` and its records.
 */
const SHIPPED_RECORDS: readonly OsvRecord[] = [];
const SHIPPED_VERSION = 'shipped:empty';

/** The stored advisory database (S3; s3rver locally) behind this instance's refreshing copy. */
export function createAdvisoryDatabase(
  adapters: Pick<PlatformAdapters, 's3' | 'clock'>,
  bucket: string,
  logger: Logger,
) {
  const store = new S3AdvisoryDatabaseStore(adapters.s3, bucket);
  const database = new RefreshingAdvisoryDatabase({
    store,
    fallback: new AdvisoryRecordIndex(SHIPPED_RECORDS, SHIPPED_VERSION),
    clock: adapters.clock,
    maxAgeMs: ADVISORY_DATABASE_MAX_AGE_MS,
    onReadError: (error) =>
      logger.warn('advisory database read failed; serving the last good copy', {
        errorName: (error as Error)?.name,
      }),
  });
  return { store, database, shippedAdvisories: async () => SHIPPED_RECORDS };
}

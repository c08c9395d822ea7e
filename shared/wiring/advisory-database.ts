import { S3AdvisoryDatabaseStore } from '../adapters/aws/s3-advisory-database-store.ts';
import { OsvAdvisoryDatabase } from '../adapters/osv-advisory-database.ts';
import type { Logger } from '../observability/logger.ts';
import { RefreshingAdvisoryDatabase } from '../services/scanning/refreshing-advisory-database.ts';
import type { PlatformAdapters } from './platform-adapters.ts';

/** How long an instance serves its copy of the stored advisory database before reading it again. */
export const ADVISORY_DATABASE_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * The stored advisory database (S3; s3rver locally) behind this instance's refreshing copy, with
 * the shipped snapshot served until the store holds a refreshed copy.
 */
export function createAdvisoryDatabase(
  adapters: Pick<PlatformAdapters, 's3' | 'clock'>,
  bucket: string,
  logger: Logger,
) {
  const store = new S3AdvisoryDatabaseStore(adapters.s3, bucket);
  const shipped = OsvAdvisoryDatabase.shipped();
  const database = new RefreshingAdvisoryDatabase({
    store,
    fallback: shipped,
    clock: adapters.clock,
    maxAgeMs: ADVISORY_DATABASE_MAX_AGE_MS,
    onReadError: (error) =>
      logger.warn('advisory database read failed; serving the last good copy', {
        errorName: (error as Error)?.name,
      }),
  });
  return { store, database, shippedAdvisories: async () => shipped.records() };
}

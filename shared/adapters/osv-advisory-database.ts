import { z } from 'zod';
import shippedRecords from '../data/osv-npm-advisories.json' with { type: 'json' };
import { advisoryDatabaseVersion } from '../domain/advisory-database-version.ts';
import { AdvisoryRecordIndex } from '../domain/advisory-record-index.ts';
import { type OsvRecord, OsvRecordSchema } from '../domain/dependency-scan.ts';
import type { AdvisoryDatabase } from '../ports/advisory-database.ts';

/**
 * An OSV advisory set held in memory, indexed by npm package name. The shipped snapshot
 * (shared/data/osv-npm-advisories.json, built by scripts/build-advisory-snapshot.mjs) is imported,
 * not read from disk, so the bundler carries it into each function and tests run offline.
 */
export class OsvAdvisoryDatabase implements AdvisoryDatabase {
  private readonly load: () => AdvisoryRecordIndex;
  private loaded: AdvisoryRecordIndex | undefined;

  private constructor(load: () => AdvisoryRecordIndex) {
    this.load = load;
  }

  /**
   * Validates every record (a malformed one fails the load: a scan must not silently skip it).
   * Without a version, the set is named by its digest (advisoryDatabaseVersion), so any added,
   * removed or changed record changes it.
   */
  static fromRecords(records: unknown, version?: string): OsvAdvisoryDatabase {
    const loaded = indexOf(z.array(OsvRecordSchema).parse(records), version);
    return new OsvAdvisoryDatabase(() => loaded);
  }

  /**
   * Parsed on first use, not at wiring: validating the snapshot takes ~0.2 s, which functions that
   * never scan (execution builds the same plugin services) should not pay at cold start.
   */
  static shipped(): OsvAdvisoryDatabase {
    shipped ??= new OsvAdvisoryDatabase(() => indexOf(z.array(OsvRecordSchema).parse(shippedRecords)));
    return shipped;
  }

  async version(): Promise<string> {
    return this.index().version();
  }

  async advisoriesFor(packageName: string): Promise<readonly OsvRecord[]> {
    return this.index().advisoriesFor(packageName);
  }

  records(): readonly OsvRecord[] {
    return this.index().records();
  }

  private index(): AdvisoryRecordIndex {
    this.loaded ??= this.load();
    return this.loaded;
  }
}

let shipped: OsvAdvisoryDatabase | undefined;

const indexOf = (records: readonly OsvRecord[], version?: string) =>
  new AdvisoryRecordIndex(records, version ?? advisoryDatabaseVersion(records));

import type { OsvRecord } from '../../../shared/domain/dependency-scan.ts';
import type { AdvisoryDatabase } from '../../../shared/ports/advisory-database.ts';
import type {
  AdvisoryDatabaseStore,
  StoredAdvisoryDatabase,
} from '../../../shared/ports/advisory-database-store.ts';

/** An advisory database whose records and version a test sets. */
export class InMemoryAdvisoryDatabase implements AdvisoryDatabase {
  records: OsvRecord[] = [];
  currentVersion = 'v1';

  set(records: OsvRecord[], version: string): void {
    this.records = records;
    this.currentVersion = version;
  }

  async version() {
    return this.currentVersion;
  }

  async advisoriesFor(packageName: string) {
    return this.records.filter((record) =>
      record.affected.some(
        (affected) => affected.package.ecosystem === 'npm' && affected.package.name === packageName,
      ),
    );
  }
}

/** The stored advisory database in memory; `failReads` makes reads throw, to test failing closed. */
export class InMemoryAdvisoryDatabaseStore implements AdvisoryDatabaseStore {
  stored: StoredAdvisoryDatabase | undefined;
  writes = 0;
  reads = 0;
  failReads = false;

  async read() {
    this.reads += 1;
    if (this.failReads) throw Object.assign(new Error('store unavailable'), { name: 'ServiceUnavailable' });
    return this.stored;
  }

  async write(records: readonly OsvRecord[], version: string) {
    this.writes += 1;
    this.stored = { records: structuredClone([...records]), version };
  }
}

/** An OSV record affecting `name` from `introduced` until `fixed`, rated `severity` as GHSA does. */
export function osvRecord(
  id: string,
  name: string,
  options: { introduced?: string; fixed?: string; severity?: string } = {},
): OsvRecord {
  return {
    id,
    modified: '2030-01-01T00:00:00Z',
    summary: 'Prototype pollution',
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [
          {
            type: 'SEMVER',
            events: [
              { introduced: options.introduced ?? '0' },
              ...(options.fixed ? [{ fixed: options.fixed }] : []),
            ],
          },
        ],
      },
    ],
    database_specific: { severity: options.severity ?? 'CRITICAL' },
  };
}

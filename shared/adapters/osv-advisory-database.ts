import { z } from 'zod';
import shippedRecords from '../data/osv-npm-advisories.json' with { type: 'json' };
import { type OsvRecord, OsvRecordSchema } from '../domain/dependency-scan.ts';
import { sha256Hex } from '../domain/signatures.ts';
import type { AdvisoryDatabase } from '../ports/advisory-database.ts';

interface LoadedAdvisories {
  readonly byPackage: ReadonlyMap<string, readonly OsvRecord[]>;
  readonly version: string;
}

/**
 * An OSV advisory set held in memory, indexed by npm package name. The shipped snapshot
 * (shared/data/osv-npm-advisories.json, built by scripts/build-advisory-snapshot.mjs) is imported,
 * not read from disk, so the bundler carries it into each function and tests run offline.
 */
export class OsvAdvisoryDatabase implements AdvisoryDatabase {
  private readonly load: () => LoadedAdvisories;
  private loaded: LoadedAdvisories | undefined;

  private constructor(load: () => LoadedAdvisories) {
    this.load = load;
  }

  /**
   * Validates every record (a malformed one fails the load: a scan must not silently skip it).
   * Without a version, the set is named by a digest of its ids and modification times, so any
   * added, removed or changed record changes it.
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
    return this.index().version;
  }

  async advisoriesFor(packageName: string): Promise<readonly OsvRecord[]> {
    return this.index().byPackage.get(packageName) ?? [];
  }

  private index(): LoadedAdvisories {
    this.loaded ??= this.load();
    return this.loaded;
  }
}

let shipped: OsvAdvisoryDatabase | undefined;

function indexOf(records: readonly OsvRecord[], version?: string): LoadedAdvisories {
  const byPackage = new Map<string, OsvRecord[]>();
  for (const record of records) {
    const names = new Set(
      record.affected
        .filter((affected) => affected.package.ecosystem === 'npm')
        .map((affected) => affected.package.name),
    );
    for (const name of names) byPackage.set(name, [...(byPackage.get(name) ?? []), record]);
  }
  return { byPackage, version: version ?? digestOf(records) };
}

function digestOf(records: readonly OsvRecord[]): string {
  const lines = records.map((record) => `${record.id} ${record.modified}`).sort();
  return `osv-sha256:${sha256Hex(lines.join('\n')).slice(0, 32)}`;
}

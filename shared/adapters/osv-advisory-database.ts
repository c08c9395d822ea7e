import { z } from 'zod';
import shippedRecords from '../data/osv-npm-advisories.json' with { type: 'json' };
import { type OsvRecord, OsvRecordSchema } from '../domain/dependency-scan.ts';
import { sha256Hex } from '../domain/signatures.ts';
import type { AdvisoryDatabase } from '../ports/advisory-database.ts';

/**
 * An OSV advisory set held in memory, indexed by npm package name. The shipped snapshot
 * (shared/data/osv-npm-advisories.json, built by scripts/build-advisory-snapshot.mjs) is imported,
 * not read from disk, so the bundler carries it into each function and tests run offline.
 */
export class OsvAdvisoryDatabase implements AdvisoryDatabase {
  private readonly byPackage: ReadonlyMap<string, readonly OsvRecord[]>;
  private readonly loadedVersion: string;

  private constructor(records: readonly OsvRecord[], version: string) {
    const byPackage = new Map<string, OsvRecord[]>();
    for (const record of records) {
      const names = new Set(
        record.affected.filter((affected) => affected.package.ecosystem === 'npm').map((a) => a.package.name),
      );
      for (const name of names) byPackage.set(name, [...(byPackage.get(name) ?? []), record]);
    }
    this.byPackage = byPackage;
    this.loadedVersion = version;
  }

  /**
   * Validates every record (a malformed one fails the load: a scan must not silently skip it).
   * Without a version, the set is named by a digest of its ids and modification times, so any
   * added, removed or changed record changes it.
   */
  static fromRecords(records: unknown, version?: string): OsvAdvisoryDatabase {
    const parsed = z.array(OsvRecordSchema).parse(records);
    return new OsvAdvisoryDatabase(parsed, version ?? digestOf(parsed));
  }

  static shipped(): OsvAdvisoryDatabase {
    shipped ??= OsvAdvisoryDatabase.fromRecords(shippedRecords);
    return shipped;
  }

  async version(): Promise<string> {
    return this.loadedVersion;
  }

  async advisoriesFor(packageName: string): Promise<readonly OsvRecord[]> {
    return this.byPackage.get(packageName) ?? [];
  }
}

// Parsed once per instance: the marketplace and lifecycle wiring both ask for it.
let shipped: OsvAdvisoryDatabase | undefined;

function digestOf(records: readonly OsvRecord[]): string {
  const lines = records.map((record) => `${record.id} ${record.modified}`).sort();
  return `osv-sha256:${sha256Hex(lines.join('\n')).slice(0, 32)}`;
}

import type { OsvRecord } from '../../domain/dependency-scan.ts';
import type { AdvisoryDatabase } from '../../ports/advisory-database.ts';

/** A loaded advisory set indexed by npm package name: what the stored copy is served from. */
export class AdvisoryRecordIndex implements AdvisoryDatabase {
  private readonly byPackage = new Map<string, OsvRecord[]>();
  private readonly loadedVersion: string;

  constructor(records: readonly OsvRecord[], version: string) {
    this.loadedVersion = version;
    for (const record of records) {
      const names = new Set(
        record.affected
          .filter((affected) => affected.package.ecosystem === 'npm')
          .map((affected) => affected.package.name),
      );
      for (const name of names) this.byPackage.set(name, [...(this.byPackage.get(name) ?? []), record]);
    }
  }

  async version(): Promise<string> {
    return this.loadedVersion;
  }

  async advisoriesFor(packageName: string): Promise<readonly OsvRecord[]> {
    return this.byPackage.get(packageName) ?? [];
  }
}

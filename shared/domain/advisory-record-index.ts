import type { OsvRecord } from './dependency-scan.ts';

/**
 * A loaded advisory set indexed by npm package name: the shipped snapshot and the stored copy are
 * both served from one (it has the shape of the AdvisoryDatabase port).
 */
export class AdvisoryRecordIndex {
  private readonly byPackage = new Map<string, OsvRecord[]>();
  private readonly loadedVersion: string;
  private readonly loadedRecords: readonly OsvRecord[];

  constructor(records: readonly OsvRecord[], version: string) {
    this.loadedVersion = version;
    this.loadedRecords = records;
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

  /** Every record once, in load order (the base a private advisory is added to). */
  records(): readonly OsvRecord[] {
    return this.loadedRecords;
  }
}

import type { OsvRecord } from '../domain/dependency-scan.ts';

/**
 * The advisory database the scan reads: OSV records for npm, by package. `version()` names the
 * loaded set (changes whenever any record does), so a rescan knows what each release was scanned with.
 */
export interface AdvisoryDatabase {
  version(): Promise<string>;
  advisoriesFor(packageName: string): Promise<readonly OsvRecord[]>;
}

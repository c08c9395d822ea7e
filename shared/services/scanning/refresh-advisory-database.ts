import { advisoryDatabaseVersion } from '../../domain/advisory-database-version.ts';
import { type OsvRecord, OsvRecordSchema } from '../../domain/dependency-scan.ts';
import type { AdvisoryDatabaseStore } from '../../ports/advisory-database-store.ts';
import type { AdvisoryExport } from '../../ports/advisory-export.ts';
import { isPrivateAdvisory } from './private-advisories.ts';

export interface AdvisoryRefreshOutcome {
  readonly databaseVersion: string;
  readonly records: number;
  /** Files of the export that failed the OSV schema: skipped, counted. */
  readonly invalid: number;
  /** Records for other ecosystems only: skipped. */
  readonly otherEcosystems: number;
  readonly isChanged: boolean;
}

const affectsNpm = (record: OsvRecord) =>
  record.affected.some((affected) => affected.package.ecosystem === 'npm');

/**
 * Replaces the stored database with the public feed's export (plus the private advisories an admin
 * added, which the feed does not carry), validating each record; writes only when the version
 * (the digest of the set) changed. The caller rescans when it did.
 */
export async function refreshAdvisoryDatabase(deps: {
  readonly source: AdvisoryExport;
  readonly store: AdvisoryDatabaseStore;
}): Promise<AdvisoryRefreshOutcome> {
  const files = await deps.source.download();
  const exported = new Map<string, OsvRecord>();
  let invalid = 0;
  let otherEcosystems = 0;
  for (const file of files) {
    const parsed = OsvRecordSchema.safeParse(file);
    if (!parsed.success) invalid += 1;
    else if (!affectsNpm(parsed.data)) otherEcosystems += 1;
    else exported.set(parsed.data.id, parsed.data);
  }
  const stored = await deps.store.read();
  for (const record of stored?.records ?? [])
    if (isPrivateAdvisory(record) && !exported.has(record.id)) exported.set(record.id, record);
  const records = [...exported.values()];
  const databaseVersion = advisoryDatabaseVersion(records);
  const isChanged = stored?.version !== databaseVersion;
  if (isChanged) await deps.store.write(records, databaseVersion);
  return { databaseVersion, records: records.length, invalid, otherEcosystems, isChanged };
}

import { advisoryDatabaseVersion } from '../../domain/advisory-database-version.ts';
import type { OsvRecord } from '../../domain/dependency-scan.ts';
import { validationFailed } from '../../domain/errors/request-errors.ts';
import type { AdvisoryDatabaseStore } from '../../ports/advisory-database-store.ts';
import { type AuditTrail, audited } from '../audit/audit-trail.ts';
import { asPrivateAdvisory } from './private-advisories.ts';

export interface PutAdvisoryDependencies extends AuditTrail {
  readonly advisoryStore: AdvisoryDatabaseStore;
  /** The set to start from while nothing is stored yet: the shipped snapshot's records. */
  readonly shippedAdvisories: () => Promise<readonly OsvRecord[]>;
  /** Called after the write, so this instance serves the new set at once. */
  readonly onAdvisoriesChanged?: () => void;
}

/**
 * Adds or replaces one advisory in the stored database (a private advisory; how a platform that
 * cannot reach OSV learns of one). The stored set's version changes with it, so the next rescan
 * scans every release again. Answers the new version.
 */
export function putAdvisory(
  advisoryId: string,
  record: OsvRecord,
  actor: { readonly actorId: string; readonly tenantId: string; readonly requestId: string },
  deps: PutAdvisoryDependencies,
): Promise<{ advisoryId: string; databaseVersion: string; isNew: boolean }> {
  return audited(
    deps,
    {
      action: 'marketplace:advisory-put',
      actor: actor.actorId,
      tenantId: actor.tenantId,
      requestId: actor.requestId,
      reason: `advisory ${advisoryId.slice(0, 128)}`,
    },
    async () => {
      if (record.id !== advisoryId)
        throw validationFailed([{ field: 'id', message: 'must be the advisory id of the path' }]);
      const stored = await deps.advisoryStore.read();
      const current = stored?.records ?? (await deps.shippedAdvisories());
      const isNew = !current.some((existing) => existing.id === advisoryId);
      const records = [
        ...current.filter((existing) => existing.id !== advisoryId),
        asPrivateAdvisory(record),
      ];
      const databaseVersion = advisoryDatabaseVersion(records);
      await deps.advisoryStore.write(records, databaseVersion);
      deps.onAdvisoriesChanged?.();
      return { advisoryId, databaseVersion, isNew };
    },
  );
}

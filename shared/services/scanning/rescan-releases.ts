import { findingsFor } from '../../domain/advisory-matching.ts';
import {
  type RescannedRelease,
  type RescanReport,
  SECURITY_ADVISORY_EVENT,
  SecurityAdvisoryEventDetailSchema,
} from '../../domain/advisory-rescan.ts';
import type { AdvisoryFinding, OsvRecord, ReleaseSecurity } from '../../domain/dependency-scan.ts';
import type { PluginId } from '../../domain/identifiers.ts';
import type { ReleaseRecord } from '../../domain/marketplace.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import { latestOffered } from '../../domain/release-listing.ts';
import type { AdvisoryDatabase } from '../../ports/advisory-database.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { MarketplaceCatalogue } from '../../ports/marketplace-catalogue.ts';
import type { InstallerFactory } from '../../ports/tenant-installer.ts';
import type { TenantPolicyRepository } from '../../ports/tenant-policy-repository.ts';
import { type AuditTrail, appendToOutbox, audited } from '../audit/audit-trail.ts';
import { platformEvent } from '../platform-event.ts';
import { releaseComponents } from './release-components.ts';
import { applyTenantAdvisoryPolicy, type TenantAdvisoryAction } from './tenant-advisory-action.ts';

export interface RescanDependencies extends AuditTrail {
  readonly catalogue: MarketplaceCatalogue;
  readonly advisoryDatabase: AdvisoryDatabase;
  readonly installations: Pick<InstallationRepository, 'listByPlugin'>;
  readonly installerFor: InstallerFactory;
  readonly policies: TenantPolicyRepository;
  /** This instance's search index; other instances pick the entry's change up from the feed. */
  readonly search: { refresh(pluginId: string): Promise<void> };
}

/** Who runs the rescan: the scheduled refresh (a platform actor) or an admin. */
export interface RescanActor {
  readonly actorId: string;
  readonly requestId: string;
}

/**
 * Tenant events that travel in the release's own transaction (with the release, the entry and the
 * record: 100 items at most); any beyond are appended right after it.
 */
const EVENTS_PER_TRANSACTION = 90;

const findingKey = (finding: AdvisoryFinding) =>
  `${finding.advisoryId} ${finding.package} ${finding.version}`;

/**
 * Rescans every published release not yet scanned with the database's current version. A release
 * gets its new `security` (beside its status, conditioned on the scan it replaces, audited in the
 * same transaction) and, when it is its plugin's latest offered version, the entry's security
 * status too. Findings new to a release reach every tenant that has it installed as a
 * `security:advisory` event, after the tenant's policy acted on them; the events commit with the
 * release's new scan, so a second rescan with the same version finds nothing to do and repeats none.
 */
export async function rescanReleases(deps: RescanDependencies, actor: RescanActor): Promise<RescanReport> {
  const databaseVersion = await deps.advisoryDatabase.version();
  const report: RescanReport = {
    databaseVersion,
    releasesScanned: 0,
    newlyAffected: [],
    tenantsNotified: 0,
    tenantsDisabled: 0,
  };
  for (const entry of await deps.catalogue.listEntries()) {
    const releases = await deps.catalogue.listReleases(entry.pluginId);
    const latestVersion = latestOffered(releases)?.version;
    let isEntryChanged = false;
    for (const release of releases) {
      // A revoked release runs nowhere and installs nowhere: nothing left to warn about.
      if (release.status === 'revoked' || release.security?.databaseVersion === databaseVersion) continue;
      report.releasesScanned += 1;
      const outcome = await rescanRelease(
        release,
        release.version === latestVersion,
        databaseVersion,
        deps,
        actor,
      );
      if (outcome.isLatestWritten) isEntryChanged = true;
      if (!outcome.affected) continue;
      report.newlyAffected.push(outcome.affected);
      report.tenantsNotified += outcome.affected.tenants.length;
      report.tenantsDisabled += outcome.affected.tenants.filter(
        (tenant) => tenant.action === 'disabled',
      ).length;
    }
    if (isEntryChanged) await deps.search.refresh(entry.pluginId);
  }
  return report;
}

async function rescanRelease(
  release: ReleaseRecord,
  isLatest: boolean,
  databaseVersion: string,
  deps: RescanDependencies,
  actor: RescanActor,
): Promise<{ affected?: RescannedRelease; isLatestWritten: boolean }> {
  const { pluginId, version } = release;
  const findings = findingsFor(
    releaseComponents(release),
    await advisoryLookup(release, deps.advisoryDatabase),
  );
  const previously = new Set((release.security?.findings ?? []).map(findingKey));
  const newFindings = findings.filter((finding) => !previously.has(findingKey(finding)));
  const security: ReleaseSecurity = {
    status: findings.length > 0 ? 'advisory' : 'clean',
    findings,
    scannedAt: deps.clock.now().toISOString(),
    databaseVersion,
  };
  const tenants = newFindings.length > 0 ? await actOnHolders(release, newFindings, deps, actor) : [];
  const events = tenants.map(({ tenantId, action, code }) =>
    advisoryEvent(tenantId, release, newFindings, { action, code }, deps),
  );
  const isWritten = await audited(
    deps,
    {
      action: 'marketplace:advisory-rescan',
      actor: actor.actorId,
      pluginId,
      version,
      requestId: actor.requestId,
      code: security.status === 'advisory' ? 'ADVISORY' : 'CLEAN',
    },
    (commit) =>
      deps.catalogue.recordReleaseSecurity(
        pluginId,
        version,
        {
          security,
          expectedDatabaseVersion: release.security?.databaseVersion,
          entrySecurityStatus: isLatest ? security.status : undefined,
          at: deps.clock.now(),
        },
        commit({}, events.slice(0, EVENTS_PER_TRANSACTION)),
      ),
  );
  // Another rescan stored this release first: its transaction carries the events.
  if (!isWritten) return { isLatestWritten: false };
  for (let start = EVENTS_PER_TRANSACTION; start < events.length; start += EVENTS_PER_TRANSACTION)
    await appendToOutbox(deps, events.slice(start, start + EVENTS_PER_TRANSACTION));
  return {
    isLatestWritten: isLatest,
    ...(newFindings.length > 0 ? { affected: { pluginId, version, findings: newFindings, tenants } } : {}),
  };
}

/** `findingsFor` looks up synchronously: the release's packages are fetched from the database first. */
async function advisoryLookup(release: ReleaseRecord, database: AdvisoryDatabase) {
  const names = [...new Set(releaseComponents(release).map((component) => component.name))];
  const byName = new Map<string, readonly OsvRecord[]>();
  for (const name of names) byName.set(name, await database.advisoriesFor(name));
  return (name: string) => byName.get(name) ?? [];
}

/** Each tenant with this version installed, in any state, once: its policy acts, its event follows. */
async function actOnHolders(
  release: ReleaseRecord,
  newFindings: readonly AdvisoryFinding[],
  deps: RescanDependencies,
  actor: RescanActor,
): Promise<RescannedRelease['tenants']> {
  const installations = await deps.installations.listByPlugin(release.pluginId as PluginId);
  const tenantIds = [
    ...new Set(
      installations
        .filter((installation) => installation.version === release.version)
        .map((installation) => installation.tenantId as string),
    ),
  ].sort();
  const tenants: RescannedRelease['tenants'] = [];
  for (const tenantId of tenantIds) {
    const outcome = await applyTenantAdvisoryPolicy({ tenantId, pluginId: release.pluginId }, newFindings, {
      policies: deps.policies,
      installerFor: deps.installerFor,
      requestId: actor.requestId,
    });
    tenants.push({ tenantId, ...outcome });
  }
  return tenants;
}

function advisoryEvent(
  tenantId: string,
  release: ReleaseRecord,
  newFindings: readonly AdvisoryFinding[],
  outcome: TenantAdvisoryAction,
  deps: RescanDependencies,
): PlatformEvent {
  const detail = SecurityAdvisoryEventDetailSchema.parse({
    tenantId,
    pluginId: release.pluginId,
    version: release.version,
    advisoryIds: [...new Set(newFindings.map((finding) => finding.advisoryId))],
    severities: [...new Set(newFindings.map((finding) => finding.severity))],
    action: outcome.action,
    ...(outcome.code ? { code: outcome.code } : {}),
  });
  return platformEvent(SECURITY_ADVISORY_EVENT, tenantId, detail, deps);
}

import type { RescanReport } from '../../domain/advisory-rescan.ts';
import type { OsvRecord } from '../../domain/dependency-scan.ts';
import { forbidden } from '../../domain/errors/auth-errors.ts';
import { audited } from '../audit/audit-trail.ts';
import {
  actorIdOf,
  isPlatformAdmin,
  type MarketplaceActor,
} from '../marketplace/marketplace-dependencies.ts';
import { type PutAdvisoryDependencies, putAdvisory } from './put-advisory.ts';
import { type RescanDependencies, rescanReleases } from './rescan-releases.ts';

export type AdvisoryAdministrationDependencies = RescanDependencies & PutAdvisoryDependencies;

/** The platform admin's advisory actions: add a private advisory, rescan now. */
export class AdvisoryAdministration {
  private readonly deps: AdvisoryAdministrationDependencies;

  constructor(deps: AdvisoryAdministrationDependencies) {
    this.deps = deps;
  }

  putAdvisory(advisoryId: string, record: OsvRecord, actor: MarketplaceActor) {
    this.requireAdmin(actor);
    return putAdvisory(
      advisoryId,
      record,
      { actorId: actorIdOf(actor), tenantId: actor.tenantId, requestId: actor.requestId },
      this.deps,
    );
  }

  /** The run's own record; each release's new scan commits its record with it. */
  rescan(actor: MarketplaceActor): Promise<RescanReport> {
    this.requireAdmin(actor);
    const actorId = actorIdOf(actor);
    return audited(
      this.deps,
      {
        action: 'marketplace:advisory-rescan-run',
        actor: actorId,
        tenantId: actor.tenantId,
        requestId: actor.requestId,
      },
      () => rescanReleases(this.deps, { actorId, requestId: actor.requestId }),
    );
  }

  private requireAdmin(actor: MarketplaceActor): void {
    if (!isPlatformAdmin(actor)) throw forbidden('This operation needs the scope marketplace:admin.');
  }
}

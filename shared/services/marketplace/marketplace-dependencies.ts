import { userActor } from '../../domain/actors.ts';
import type { AdvisorySource } from '../../ports/advisory-source.ts';
import type { ArtifactStore } from '../../ports/artifact-store.ts';
import type { ArtifactUploads } from '../../ports/artifact-uploads.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import type { AuditOutbox } from '../../ports/audit-outbox.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { MarketplaceCatalogue } from '../../ports/marketplace-catalogue.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';
import type { ReviewRepository } from '../../ports/review-repository.ts';
import type { InstallerFactory } from '../../ports/tenant-installer.ts';
import type { UsageRepository } from '../../ports/usage-repository.ts';
import type { AuditRetryPolicy } from '../audited.ts';
import type { ProvenanceVerifier } from '../provenance/provenance-verifier.ts';
import type { CatalogueSearch } from './catalogue-search.ts';

/** Ports only: the AWS wiring and the in-memory fakes of the unit tests plug in here alike. */
export interface MarketplaceDependencies {
  readonly catalogue: MarketplaceCatalogue;
  readonly publisherKeys: PublisherKeyRepository;
  readonly reviews: ReviewRepository;
  readonly artifacts: ArtifactStore;
  readonly uploads: ArtifactUploads;
  readonly signer: ReleaseSigner;
  /** Proves publishers' signatures and release statements; the instance's one key cache. */
  readonly provenance: ProvenanceVerifier;
  readonly advisories: AdvisorySource;
  readonly installations: InstallationRepository;
  readonly installerFor: InstallerFactory;
  readonly usage: UsageRepository;
  readonly audit: AuditLog;
  /** Where an audit record goes when the log refuses it after a change committed. */
  readonly auditOutbox: AuditOutbox;
  readonly auditRetry?: AuditRetryPolicy | undefined;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly search: CatalogueSearch;
}

/** Who acts, as proven by a verified token. The publisher is the caller's organisation (tenant). */
export interface MarketplaceActor {
  readonly tenantId: string;
  readonly userId: string;
  readonly scopes: ReadonlySet<string>;
  readonly requestId: string;
}

export const publisherIdOf = (actor: MarketplaceActor): string => actor.tenantId;
export const actorIdOf = (actor: MarketplaceActor): string => userActor(actor.tenantId, actor.userId);
export const isPlatformAdmin = (actor: MarketplaceActor): boolean => actor.scopes.has('marketplace:admin');

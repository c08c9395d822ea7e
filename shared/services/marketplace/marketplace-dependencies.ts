import { userActor } from '../../domain/actors.ts';
import type { AdvisoryDatabase } from '../../ports/advisory-database.ts';
import type { ArtifactStore } from '../../ports/artifact-store.ts';
import type { ArtifactUploads } from '../../ports/artifact-uploads.ts';
import type { BundleScanner } from '../../ports/bundle-scanner.ts';
import type { Clock } from '../../ports/clock.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { InstallationRepository } from '../../ports/installation-repository.ts';
import type { MarketplaceCatalogue } from '../../ports/marketplace-catalogue.ts';
import type { Outbox } from '../../ports/outbox.ts';
import type { PublisherDomainProofs } from '../../ports/publisher-domain-proof.ts';
import type { PublisherKeyRepository } from '../../ports/publisher-key-repository.ts';
import type { ReleaseSigner } from '../../ports/release-signer.ts';
import type { ReviewRepository } from '../../ports/review-repository.ts';
import type { InstallerFactory } from '../../ports/tenant-installer.ts';
import type { UsageRepository } from '../../ports/usage-repository.ts';
import type { AuditRetryPolicy, AuditTrail } from '../audit/audit-trail.ts';
import type { ProvenanceVerifier } from '../provenance/provenance-verifier.ts';
import type { ReviewWriteAdmission } from './admit-review-write.ts';
import type { CatalogueSearch } from './catalogue-search.ts';

/**
 * Ports only: the AWS wiring and the in-memory fakes of the unit tests plug in here alike. The
 * dependencies are also the audit trail: every change commits its record to `outbox` with it.
 */
export interface MarketplaceDependencies extends AuditTrail, ReviewWriteAdmission {
  readonly catalogue: MarketplaceCatalogue;
  readonly publisherKeys: PublisherKeyRepository;
  readonly reviews: ReviewRepository;
  readonly artifacts: ArtifactStore;
  readonly uploads: ArtifactUploads;
  readonly signer: ReleaseSigner;
  /** Proves publishers' signatures and release statements; the instance's one key cache. */
  readonly provenance: ProvenanceVerifier;
  /** The advisory database the publish scan reads (the port: the shipped or a refreshed copy). */
  readonly advisories: AdvisoryDatabase;
  readonly bundleScanner: BundleScanner;
  readonly installations: InstallationRepository;
  readonly installerFor: InstallerFactory;
  readonly usage: UsageRepository;
  /** Records that join no change (refusals, idempotent repeats) are appended here on their own. */
  readonly outbox: Outbox;
  readonly auditRetry?: AuditRetryPolicy | undefined;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly search: CatalogueSearch;
  /** The domain proofs a publisher verification checks (DNS TXT, well-known file). */
  readonly publisherProofs: PublisherDomainProofs;
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

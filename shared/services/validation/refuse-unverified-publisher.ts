import { publisherNotVerified } from '../../domain/errors/publisher-verification-errors.ts';
import type { TenantPolicy } from '../../domain/tenant-policy.ts';
import type { ReleaseCatalogue } from '../../ports/release-catalogue.ts';

/**
 * `installFrom: verified-publishers-only`: a marketplace install or update is admitted only while
 * the release's publisher is verified. The profile is read at the moment of the install, so a
 * revocation takes effect at once, whatever the entries' copies (search's) still say.
 */
export async function refuseUnverifiedPublisher(
  publisherId: string,
  policy: TenantPolicy,
  catalogue: Pick<ReleaseCatalogue, 'getPublisher'>,
): Promise<void> {
  if (policy.installFrom !== 'verified-publishers-only') return;
  const publisher = await catalogue.getPublisher(publisherId);
  if (!publisher?.isVerified) throw publisherNotVerified();
}

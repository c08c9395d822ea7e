import { DomainError } from './domain-error.ts';

/** Publisher verification by domain proof, and the tenant policy that admits verified publishers only. */

/** 422: no TXT record or well-known file at the domain names this publisher. */
export const publisherProofNotFound = (method: string) =>
  new DomainError(
    'PUBLISHER_PROOF_NOT_FOUND',
    method === 'dns-txt'
      ? 'No TXT record at _gradiant-publisher.<domain> holds gradiant-publisher=<publisherId>.'
      : 'https://<domain>/.well-known/gradiant-publisher.txt does not hold the publisher id.',
    { field: 'domain', facts: { method } },
  );

/** 422: the domain (or an address it resolves to) is private, loopback, link-local or metadata. */
export const publisherDomainNotAllowed = () =>
  new DomainError(
    'PUBLISHER_DOMAIN_NOT_ALLOWED',
    'The domain must resolve to public addresses only; the platform never fetches from private networks.',
    { field: 'domain' },
  );

/** 503: the publisher's DNS or web server timed out or failed; nothing changed, try again later. */
export const publisherProofUnreachable = () =>
  new DomainError(
    'PUBLISHER_PROOF_UNREACHABLE',
    "The publisher's domain could not be checked (timeout or failure); try again later.",
    { field: 'domain', retryAfterSeconds: 60 },
  );

/** 422: the tenant admits verified publishers' marketplace plugins only, and this one is not verified. */
export const publisherNotVerified = () =>
  new DomainError(
    'PUBLISHER_NOT_VERIFIED',
    "The tenant policy (installFrom: verified-publishers-only) admits verified publishers' plugins only.",
    { field: 'id', facts: { installFrom: 'verified-publishers-only' } },
  );

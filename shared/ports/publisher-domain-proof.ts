import type { VerificationMethod } from '../domain/publisher-verification.ts';

/**
 * What checking a domain proof found: the proof naming this publisher; no such proof (or one
 * naming someone else); a domain that resolves to an address the platform must not reach; or no
 * answer in time (a timeout, a failing server), which says nothing about the proof.
 */
export type DomainProofOutcome = 'found' | 'not-found' | 'address-not-allowed' | 'unreachable';

/** One way a publisher proves control of its domain; the platform checks it itself. */
export interface PublisherDomainProof {
  check(domain: string, publisherId: string): Promise<DomainProofOutcome>;
}

/** Every proof method the verification use case offers. */
export type PublisherDomainProofs = Readonly<Record<VerificationMethod, PublisherDomainProof>>;

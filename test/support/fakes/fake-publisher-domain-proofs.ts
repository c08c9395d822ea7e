import type { VerificationMethod } from '../../../shared/domain/publisher-verification.ts';
import type {
  DomainProofOutcome,
  PublisherDomainProof,
} from '../../../shared/ports/publisher-domain-proof.ts';

/**
 * Domain proofs in memory: `publish(domain, publisherId)` is a TXT record or well-known file
 * naming that publisher; `fail(domain, outcome)` makes a domain private or unreachable.
 */
export class FakePublisherDomainProof implements PublisherDomainProof {
  readonly proofs = new Map<string, string>();
  readonly failures = new Map<string, DomainProofOutcome>();
  readonly checked: { domain: string; publisherId: string }[] = [];

  publish(domain: string, publisherId: string): this {
    this.proofs.set(domain, publisherId);
    return this;
  }

  fail(domain: string, outcome: Exclude<DomainProofOutcome, 'found'>): this {
    this.failures.set(domain, outcome);
    return this;
  }

  async check(domain: string, publisherId: string): Promise<DomainProofOutcome> {
    this.checked.push({ domain, publisherId });
    const failure = this.failures.get(domain);
    if (failure) return failure;
    return this.proofs.get(domain) === publisherId ? 'found' : 'not-found';
  }
}

export const fakePublisherDomainProofs = (): Record<VerificationMethod, FakePublisherDomainProof> => ({
  'dns-txt': new FakePublisherDomainProof(),
  'well-known': new FakePublisherDomainProof(),
});

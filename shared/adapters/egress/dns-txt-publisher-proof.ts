import { Resolver } from 'node:dns/promises';
import { proofRecordName, proofRecordValue } from '../../domain/publisher-verification.ts';
import type { DomainProofOutcome, PublisherDomainProof } from '../../ports/publisher-domain-proof.ts';

/** The TXT lookup of node:dns/promises `Resolver` (each record's character strings, unjoined). */
export interface TxtResolver {
  resolveTxt(hostname: string): Promise<string[][]>;
}

/** The answers that mean "there is no such record", as opposed to "DNS did not answer". */
const NO_RECORD = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

export interface DnsTxtProofOptions {
  /** Per query attempt (c-ares' `timeout`); `tries` attempts in all. */
  readonly timeoutMs?: number;
  readonly tries?: number;
  /** Tests play the DNS server here. */
  readonly resolver?: TxtResolver;
}

/**
 * The proof is a TXT record at `_gradiant-publisher.<domain>` whose value (its character strings
 * joined, as RFC 7208 reads long values) is exactly `gradiant-publisher=<publisherId>`. The query
 * goes to the platform's resolver; nothing connects to the publisher's hosts.
 */
export class DnsTxtPublisherProof implements PublisherDomainProof {
  private readonly resolver: TxtResolver;

  constructor(options: DnsTxtProofOptions = {}) {
    this.resolver =
      options.resolver ?? new Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
  }

  async check(domain: string, publisherId: string): Promise<DomainProofOutcome> {
    let records: string[][];
    try {
      records = await this.resolver.resolveTxt(proofRecordName(domain));
    } catch (error) {
      return NO_RECORD.has((error as NodeJS.ErrnoException).code ?? '') ? 'not-found' : 'unreachable';
    }
    const expected = proofRecordValue(publisherId);
    return records.some((chunks) => chunks.join('').trim() === expected) ? 'found' : 'not-found';
  }
}

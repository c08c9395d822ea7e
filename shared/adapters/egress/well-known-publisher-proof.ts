import { lookup as dnsLookup } from 'node:dns';
import { WELL_KNOWN_PROOF_PATH } from '../../domain/publisher-verification.ts';
import type { DomainProofOutcome, PublisherDomainProof } from '../../ports/publisher-domain-proof.ts';
import { HostError } from '../../sandbox/errors.ts';
import { createGuardedFetch } from './guarded-fetch.ts';

/** A proof file holds one id: anything longer is not a proof, and is not read into memory. */
const MAX_PROOF_BYTES = 1024;
const NO_SUCH_NAME = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

export interface WellKnownProofOptions {
  readonly timeoutMs?: number;
  /**
   * Local platform only (`PUBLISHER_PROOF_LOOPBACK_ORIGIN`, refused in AWS mode): the origin of
   * the well-known stand-in on this machine. A `.localhost` domain (RFC 6761: always this machine)
   * is fetched there, virtual-hosted by its Host header; every other domain as deployed.
   */
  readonly loopbackOrigin?: string | undefined;
  /** The resolver whose answers the guard judges; tests play a hostile DNS server here. */
  readonly resolve?: typeof dnsLookup;
}

/**
 * The proof is `https://<domain>/.well-known/gradiant-publisher.txt` answering 200 with the
 * publisher id (trimmed). It is fetched through the plugins' guarded egress: https only, the
 * address actually connected to checked against private, loopback, link-local and metadata ranges
 * (so a name resolving to 169.254.169.254 is refused before any request is sent), no redirect
 * followed (a 3xx is no proof), a time limit and a size cap.
 */
export class WellKnownPublisherProof implements PublisherDomainProof {
  private readonly options: WellKnownProofOptions;

  constructor(options: WellKnownProofOptions = {}) {
    this.options = options;
  }

  async check(domain: string, publisherId: string): Promise<DomainProofOutcome> {
    // The guard keeps DNS errors to itself; this remembers whether the name does not exist at all.
    let lookupFailure: string | undefined;
    const resolve = this.options.resolve ?? dnsLookup;
    const observed = ((hostname: string, options: object, callback: (...args: unknown[]) => void) =>
      resolve(hostname, options, (error: NodeJS.ErrnoException | null, ...rest: unknown[]) => {
        lookupFailure = error?.code;
        callback(error, ...rest);
      })) as unknown as typeof dnsLookup;
    const origin = this.originOf(domain);
    const fetch = createGuardedFetch({
      maxResponseBytes: MAX_PROOF_BYTES,
      timeoutMs: this.options.timeoutMs ?? 5000,
      allowedLoopbackOrigins: origin === undefined ? [] : [origin],
      resolve: observed,
    });
    const url = `${origin ?? `https://${domain}`}${WELL_KNOWN_PROOF_PATH}`;
    try {
      const response = await fetch(url, {
        method: 'GET',
        headers: { accept: 'text/plain', ...(origin === undefined ? {} : { host: domain }) },
      });
      return response.status === 200 && response.body.trim() === publisherId ? 'found' : 'not-found';
    } catch (error) {
      if (error instanceof HostError && error.code === 'PermissionDenied') return 'address-not-allowed';
      // Too large a body is no proof; a name that does not exist has none.
      if (error instanceof HostError && error.code === 'QuotaExceeded') return 'not-found';
      if (NO_SUCH_NAME.has(lookupFailure ?? '')) return 'not-found';
      return 'unreachable';
    }
  }

  private originOf(domain: string): string | undefined {
    const { loopbackOrigin } = this.options;
    return loopbackOrigin !== undefined && domain.endsWith('.localhost')
      ? new URL(loopbackOrigin).origin
      : undefined;
  }
}

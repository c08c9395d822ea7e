import { HostError } from '../../sandbox/errors.ts';
import type { HttpRequestInit, HttpResponse } from '../../sandbox/host.ts';
import { createGuardedFetch } from '../egress/guarded-fetch.ts';

/** Why a request got no HTTP answer; only `network` may succeed when tried again. */
export type FhirTransportFailure = 'address-not-allowed' | 'too-large' | 'network';

export class FhirTransportError extends Error {
  readonly failure: FhirTransportFailure;

  constructor(failure: FhirTransportFailure, options?: { cause?: unknown }) {
    super(`FHIR transport failure: ${failure}`, options);
    this.name = 'FhirTransportError';
    this.failure = failure;
  }
}

/** One HTTP exchange with a time limit; fails with FhirTransportError, never with a server's text. */
export type FhirTransport = (url: string, init: HttpRequestInit, timeoutMs: number) => Promise<HttpResponse>;

export interface GuardedFhirTransportOptions {
  readonly maxResponseBytes: number;
  /** The local platform's FHIR stand-in: the one loopback origin (and plain http) allowed. */
  readonly allowedLoopbackOrigins?: readonly string[] | undefined;
}

/**
 * The EHR adapter's egress, through the same guard as plugins' (https only, no private or
 * metadata address on the address actually connected to, no redirects, a size cap).
 */
export function createGuardedFhirTransport(options: GuardedFhirTransportOptions): FhirTransport {
  return async (url, init, timeoutMs) => {
    // The guard takes its limit per instance; one per attempt is a closure, nothing more.
    const fetch = createGuardedFetch({
      maxResponseBytes: options.maxResponseBytes,
      timeoutMs,
      allowedLoopbackOrigins: options.allowedLoopbackOrigins,
    });
    try {
      return await fetch(url, init);
    } catch (error) {
      if (error instanceof HostError && error.code === 'PermissionDenied') {
        throw new FhirTransportError('address-not-allowed', { cause: error });
      }
      if (error instanceof HostError && error.code === 'QuotaExceeded') {
        throw new FhirTransportError('too-large', { cause: error });
      }
      throw new FhirTransportError('network', { cause: error });
    }
  };
}

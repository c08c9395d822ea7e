import type { Clock } from '../../ports/clock.ts';
import type { EhrConnectionRepository } from '../../ports/ehr-connection-repository.ts';
import type { EhrSigningKeys } from '../../ports/ehr-signing-keys.ts';
import { FhirConnectionProbe } from './fhir-connection-probe.ts';
import { FhirEhrRepository } from './fhir-ehr-repository.ts';
import { FhirHttpClient } from './fhir-http-client.ts';
import { FhirTenantClient } from './fhir-tenant-client.ts';
import { createGuardedFhirTransport, type FhirTransport } from './fhir-transport.ts';
import { SmartBackendTokens } from './smart-backend-tokens.ts';

/** A FHIR answer larger than this fails EHR_UNAVAILABLE rather than filling the function's memory. */
export const DEFAULT_FHIR_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface FhirEhrAdapterOptions {
  readonly connections: EhrConnectionRepository;
  readonly signingKeys: EhrSigningKeys;
  readonly clock: Clock;
  readonly maxResponseBytes?: number | undefined;
  /** Local mode only: the platform's own FHIR stand-in (e.g. `http://127.0.0.1:8103`). */
  readonly allowedLoopbackOrigins?: readonly string[] | undefined;
  /** How long a tenant's connection is reused (CONNECTION_CACHE_MS by default; 0: read every call). */
  readonly connectionCacheMs?: number | undefined;
  /** Tests: a scripted transport instead of the guarded network. */
  readonly transport?: FhirTransport | undefined;
}

/**
 * The FHIR side of the platform, built once per cold start: the EHR repository (also the
 * subscriptions port) and the connection probe share one HTTP client and one token cache, so the
 * connection test and the plugin API's calls go through the same guard.
 */
export function createFhirEhrAdapter(options: FhirEhrAdapterOptions) {
  const transport =
    options.transport ??
    createGuardedFhirTransport({
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_FHIR_MAX_RESPONSE_BYTES,
      allowedLoopbackOrigins: options.allowedLoopbackOrigins,
    });
  const http = new FhirHttpClient({ transport, clock: options.clock });
  const tokens = new SmartBackendTokens({ http, signingKeys: options.signingKeys, clock: options.clock });
  const client = new FhirTenantClient({ http, tokens });
  return {
    repository: new FhirEhrRepository({
      connections: options.connections,
      client,
      clock: options.clock,
      connectionCacheMs: options.connectionCacheMs,
    }),
    probe: new FhirConnectionProbe({ http, tokens }),
    tokens,
  };
}

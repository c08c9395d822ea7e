import { z } from 'zod';
import { type EhrConnection, EhrConnectionSchema } from './ehr-connection.ts';

/**
 * What the tenant admin reads back: the settings and what the platform decided, plus the JWKS
 * URL to register with the EHR. Built field by field from the stored connection, so nothing the
 * store might gain later (and never key material) reaches the answer by accident.
 */
export const EhrConnectionViewSchema = EhrConnectionSchema.pick({
  fhirBaseUrl: true,
  clientId: true,
  tokenEndpoint: true,
  scopes: true,
  signingAlgorithm: true,
  tenantId: true,
  keyId: true,
  resolvedTokenEndpoint: true,
  subscription: true,
  version: true,
  updatedAt: true,
})
  .extend({
    /** Absolute: the URL the hospital registers with its EHR for this client. */
    jwksUrl: z.url(),
  })
  .strict();
export type EhrConnectionView = z.infer<typeof EhrConnectionViewSchema>;

export function ehrConnectionViewOf(connection: EhrConnection, jwksUrl: string): EhrConnectionView {
  return {
    fhirBaseUrl: connection.fhirBaseUrl,
    clientId: connection.clientId,
    ...(connection.tokenEndpoint === undefined ? {} : { tokenEndpoint: connection.tokenEndpoint }),
    scopes: [...connection.scopes],
    signingAlgorithm: connection.signingAlgorithm,
    tenantId: connection.tenantId,
    keyId: connection.keyId,
    resolvedTokenEndpoint: connection.resolvedTokenEndpoint,
    ...(connection.subscription === undefined ? {} : { subscription: connection.subscription }),
    version: connection.version,
    updatedAt: connection.updatedAt,
    jwksUrl,
  };
}

/** The tenant's JWKS path under the public API base: what the EHR fetches, without a token. */
export const jwksPathOf = (tenantId: string): string =>
  `/v1/tenants/${encodeURIComponent(tenantId)}/ehr-connection/jwks.json`;

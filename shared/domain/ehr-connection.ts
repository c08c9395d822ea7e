import { z } from 'zod';

/**
 * A tenant's connection to its hospital's EHR: a FHIR R4 server the platform reaches as a SMART
 * Backend Services client (client credentials with a `private_key_jwt` assertion signed by a key
 * pair the platform holds for the tenant). The settings are what the tenant admin registers; the
 * stored connection adds what the platform decides (key ids, the resolved token endpoint, the
 * rest-hook subscription). No key material is ever part of either.
 */

export const EHR_SIGNING_ALGORITHMS = ['ES384', 'RS384'] as const;
export type EhrSigningAlgorithm = (typeof EHR_SIGNING_ALGORITHMS)[number];

/**
 * An absolute URL without credentials, query or fragment. Whether its scheme and address are
 * allowed (https, no private or metadata address, the local FHIR stand-in as the one exception)
 * is the connection use case's check, since it depends on the platform's mode.
 */
export const EhrUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password && !url.search && !url.hash;
  }, 'must carry no credentials, query or fragment');

/** A SMART v2 system scope: `system/<Resource|*>.<c r u d s, in that order>`. */
export const SmartSystemScopeSchema = z
  .string()
  .max(100)
  .regex(
    /^system\/(\*|[A-Z][A-Za-z]+)\.(?=[cruds])c?r?u?d?s?$/,
    'must be a SMART v2 system scope such as system/Patient.rs',
  );

export const EhrConnectionSettingsSchema = z
  .object({
    /** The FHIR R4 base, e.g. https://ehr.example.org/fhir/R4 (no trailing slash needed). */
    fhirBaseUrl: EhrUrlSchema,
    /** The client id the EHR issued for the platform. */
    clientId: z.string().min(1).max(200),
    /** Omitted: discovered from `<fhirBaseUrl>/.well-known/smart-configuration`. */
    tokenEndpoint: EhrUrlSchema.optional(),
    scopes: z.array(SmartSystemScopeSchema).min(1).max(20),
    signingAlgorithm: z.enum(EHR_SIGNING_ALGORITHMS).default('ES384'),
  })
  .strict();
export type EhrConnectionSettings = z.infer<typeof EhrConnectionSettingsSchema>;

export const EHR_SUBSCRIPTION_STATES = ['pending', 'active', 'failed'] as const;

export const EhrSubscriptionSchema = z.object({
  state: z.enum(EHR_SUBSCRIPTION_STATES),
  /** The `Subscription` resource ids in the EHR, once created. */
  subscriptionIds: z.array(z.string().max(64)).max(4),
  /** SHA-256 (hex) of the secret header value the EHR sends with each notification. */
  secretSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  /** Why it failed, as a status or fixed phrase: never the server's text. */
  reason: z.string().max(200).optional(),
  updatedAt: z.iso.datetime(),
});
export type EhrSubscription = z.infer<typeof EhrSubscriptionSchema>;

export const EhrConnectionSchema = EhrConnectionSettingsSchema.extend({
  tenantId: z.string(),
  /** The key id (`kid`) the client assertions are signed with; the JWKS publishes its public half. */
  keyId: z.string().min(1).max(200),
  /** `tokenEndpoint` as given, or as discovered when the connection was saved. */
  resolvedTokenEndpoint: EhrUrlSchema,
  subscription: EhrSubscriptionSchema.optional(),
  version: z.number().int().min(1),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.string(),
});
export type EhrConnection = z.infer<typeof EhrConnectionSchema>;

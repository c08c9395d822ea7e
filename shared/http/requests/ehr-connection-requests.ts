import { z } from 'zod';
import { TenantIdSchema } from '../../domain/identifiers.ts';

export const TenantPathSchema = z.object({ tenantId: TenantIdSchema });

/** A published public key: the members of an EC or RSA public JWK, and nothing else. */
const PublicJwkSchema = z
  .object({
    kid: z.string(),
    alg: z.string(),
    use: z.literal('sig'),
    kty: z.enum(['EC', 'RSA']),
    crv: z.string().optional(),
    x: z.string().optional(),
    y: z.string().optional(),
    n: z.string().optional(),
    e: z.string().optional(),
  })
  .strict();

/** RFC 7517 JWK Set: strict, so a private member (d, p, q, dp, dq, qi) fails the response contract. */
export const PublicJwksSchema = z.object({ keys: z.array(PublicJwkSchema) }).strict();

const CheckShape = { ok: z.boolean(), reason: z.string().max(200).optional() };

/** The connection test's report: statuses and fixed phrases, never a token or a server's text. */
export const EhrConnectionTestReportSchema = z
  .object({
    ok: z.boolean(),
    capabilityStatement: z
      .object({
        ...CheckShape,
        fhirVersion: z.string().max(20).optional(),
        resources: z.array(z.string().max(64)).max(50).optional(),
      })
      .strict(),
    token: z
      .object({
        ...CheckShape,
        grantedScopes: z.array(z.string().max(100)).max(50).optional(),
        expiresInSeconds: z.number().int().min(0).optional(),
      })
      .strict(),
    /** The rest-hook subscriptions, (re)created once a token is granted; skipped (`ok: false`) otherwise. */
    subscriptions: z.object(CheckShape).strict(),
  })
  .strict();

import { z } from 'zod';

export const TenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be a lowercase slug of 2 to 63 characters')
  .brand<'TenantId'>();
export type TenantId = z.infer<typeof TenantIdSchema>;

/** Who is calling, as proven by a verified token: the only source of tenant and scopes. */
export interface Caller {
  readonly tenantId: TenantId;
  readonly userId: string;
  readonly scopes: ReadonlySet<string>;
}

/** The claims the deployed and the local verifier both read. */
export const AccessTokenClaimsSchema = z.object({
  sub: z.string().min(1).max(256),
  tenant_id: TenantIdSchema,
  scope: z.string().max(2048).default(''),
});

import { z } from 'zod';
import { type TenantId, TenantIdSchema } from '../domain/identifiers.ts';

export { type TenantId, TenantIdSchema };

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

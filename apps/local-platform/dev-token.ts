import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { TenantIdSchema } from '../../shared/auth/caller.ts';
import { validationErrorFrom } from '../../shared/domain/errors/request-errors.ts';
import { problemResponse } from '../../shared/http/problem.ts';
import { SCOPES } from '../../shared/http/route-table.ts';
import type { LocalIssuer } from './local-issuer.ts';

/** Without `scopes`, a developer gets every tenant-level scope; platform-operator scopes must be asked for. */
const DEFAULT_SCOPES = SCOPES.filter((scope) => scope !== 'marketplace:admin');

const DevTokenQuerySchema = z.object({
  tenant: TenantIdSchema.default(TenantIdSchema.parse('t-acme')),
  sub: z.string().min(1).max(256).default('dev-user'),
  scopes: z
    .string()
    .max(1024)
    .optional()
    .transform((value) => (value === undefined ? [...DEFAULT_SCOPES] : value.split(/[ ,]+/).filter(Boolean)))
    .pipe(z.array(z.enum(SCOPES))),
});

/** `GET /local/dev-token`: exists only in the local platform, which is the only place this issuer exists. */
export async function handleDevToken(
  query: URLSearchParams,
  issuer: LocalIssuer,
  requestId: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = DevTokenQuerySchema.safeParse(Object.fromEntries(query));
  if (!parsed.success) return problemResponse(validationErrorFrom(parsed.error, 'query'), requestId);
  const token = await issuer.issue({
    tenantId: parsed.data.tenant,
    subject: parsed.data.sub,
    scopes: parsed.data.scopes,
  });
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-request-id': requestId },
    body: JSON.stringify(token),
  };
}

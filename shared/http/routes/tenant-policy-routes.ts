import { z } from 'zod';
import { TenantPolicyMergePatchSchema, TenantPolicySchema } from '../../domain/tenant-policy.ts';
import { IfMatchSchema } from '../entity-tag.ts';
import { defineRoute } from '../route-record.ts';

const ETAG = { ETag: 'The policy version as a strong entity tag, e.g. "3"; send it back as If-Match' };
const PreconditionHeadersSchema = z.object({
  'if-match': IfMatchSchema.optional().describe('The ETag last read (`"3"`), or `*` for any current version'),
});

/**
 * One shape in and out: GET answers the policy itself with its version as the ETag, PUT takes
 * the same shape back. PUT requires If-Match (428 without it) because it replaces every field;
 * PATCH changes only the fields it names, so If-Match is optional there.
 */
export const TENANT_POLICY_ROUTES = [
  defineRoute({
    routeKey: 'GET /v1/tenant/policy',
    operationId: 'getTenantPolicy',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: "The caller's tenant's plugin policy (ETag: its version)",
    request: {},
    status: 200,
    response: TenantPolicySchema,
    responseHeaders: ETAG,
  }),
  defineRoute({
    routeKey: 'PUT /v1/tenant/policy',
    operationId: 'replaceTenantPolicy',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Replace the policy; If-Match with the ETag read is required',
    request: { headers: PreconditionHeadersSchema, body: TenantPolicySchema },
    status: 200,
    response: TenantPolicySchema,
    responseHeaders: ETAG,
    problems: [409, 412, 428],
  }),
  defineRoute({
    routeKey: 'PATCH /v1/tenant/policy',
    operationId: 'patchTenantPolicy',
    function: 'lifecycle',
    scopes: ['plugins:admin'],
    summary: 'Change some fields with an RFC 7396 JSON merge patch; If-Match optional',
    request: { headers: PreconditionHeadersSchema, body: TenantPolicyMergePatchSchema },
    bodyMediaType: 'application/merge-patch+json',
    status: 200,
    response: TenantPolicySchema,
    responseHeaders: ETAG,
    problems: [409, 412],
  }),
] as const;

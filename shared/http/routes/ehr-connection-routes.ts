import { z } from 'zod';
import { EhrConnectionSettingsSchema } from '../../domain/ehr-connection.ts';
import { EhrConnectionViewSchema } from '../../domain/ehr-connection-view.ts';
import { IfMatchSchema } from '../entity-tag.ts';
import {
  EhrConnectionTestReportSchema,
  PublicJwksSchema,
  TenantPathSchema,
} from '../requests/ehr-connection-requests.ts';
import { defineRoute } from '../route-record.ts';

const ETAG = { ETag: 'The connection version as a strong entity tag, e.g. "3"; send it back as If-Match' };
const PreconditionHeadersSchema = z.object({ 'if-match': IfMatchSchema.optional() });

/**
 * The tenant's one EHR connection. PUT creates it without If-Match (201) and replaces it only
 * with one (428 without, 412 when stale), as the policy does. The JWKS route is public: the
 * hospital's EHR fetches it without a token to check the platform's client assertions.
 */
export const EHR_CONNECTION_ROUTES = [
  defineRoute({
    routeKey: 'GET /v1/tenant/ehr-connection',
    operationId: 'getEhrConnection',
    function: 'ehr-connection',
    scopes: ['plugins:admin'],
    summary: "The caller's tenant's EHR connection, with its JWKS URL (ETag: its version)",
    request: {},
    status: 200,
    response: EhrConnectionViewSchema,
    responseHeaders: ETAG,
  }),
  defineRoute({
    routeKey: 'PUT /v1/tenant/ehr-connection',
    operationId: 'putEhrConnection',
    function: 'ehr-connection',
    scopes: ['plugins:admin'],
    summary: 'Register (201) or replace (200, If-Match required) the EHR connection',
    request: { headers: PreconditionHeadersSchema, body: EhrConnectionSettingsSchema },
    status: 200,
    alternativeStatus: 201,
    response: EhrConnectionViewSchema,
    responseHeaders: ETAG,
    problems: [409, 412, 428, 502],
  }),
  defineRoute({
    routeKey: 'POST /v1/tenant/ehr-connection/test',
    operationId: 'testEhrConnection',
    function: 'ehr-connection',
    scopes: ['plugins:admin'],
    summary:
      "Read the server's CapabilityStatement, request one token and (re)create the rest-hook subscriptions; report what works",
    request: {},
    status: 200,
    response: EhrConnectionTestReportSchema,
    problems: [502],
  }),
  defineRoute({
    routeKey: 'GET /v1/tenants/{tenantId}/ehr-connection/jwks.json',
    operationId: 'getEhrConnectionJwks',
    function: 'ehr-connection',
    isAuthenticated: false,
    scopes: [],
    summary: "The tenant's public signing keys (JWK Set) for the EHR to verify client assertions",
    request: { path: TenantPathSchema },
    status: 200,
    response: PublicJwksSchema,
    responseHeaders: { 'Cache-Control': 'public, max-age=300' },
  }),
] as const;

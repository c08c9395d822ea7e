import { type HttpFunctionName, SCOPES, type Scope } from './route-record.ts';

/** The prose of the document; everything else in it is read from the route records and schemas. */

export const API_DESCRIPTION = [
  'The sandboxed plugin platform and marketplace of the Gradiant EHR integration platform:',
  'install, enable and invoke signed plugins in a tenant, publish and find them in the marketplace,',
  "query the tenant's audit trail, and connect the tenant's EHR.",
  '',
  'Every answer carries `x-request-id`. Errors are RFC 9457 `application/problem+json` with a stable',
  '`code` and, for bad input, `errors[]` naming each field as `path.<name>`, `query.<name>`,',
  '`headers.<name>` or `body.<path>`. Lists answer `{ items, nextCursor }`; a cursor is opaque and',
  'bound to the tenant and list it came from. The tenant is always the token’s `tenant_id` claim.',
].join('\n');

export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  'plugins:read': "Read the tenant's installations, their usage and available updates",
  'plugins:admin':
    'Install, enable, disable, update and uninstall plugins; set the tenant policy and EHR connection',
  'plugins:invoke': 'Invoke enabled plugins',
  'marketplace:publish': 'Publish, yank and deprecate releases; manage publisher keys',
  'marketplace:review': 'Write, report and reply to reviews',
  'marketplace:admin': 'Platform operators: revoke releases, moderate reviews, verify publishers, advisories',
  'audit:read': "Query the tenant's audit trail and patient disclosures",
};

export const BEARER_DESCRIPTION = [
  "A JWT from the tenant's identity provider (ES256 or RS256), verified for issuer, audience, `exp`",
  'and `iat` (at most 24 h old). `tenant_id` names the tenant, `sub` the user or client, and `scope`',
  '(space-separated) grants these scopes; an operation lists the scopes any one of which admits the',
  'caller (none listed: any valid token).',
  '',
  ...SCOPES.map((scope) => `- \`${scope}\`: ${SCOPE_DESCRIPTIONS[scope]}`),
].join('\n');

export const TAG_DESCRIPTIONS: Readonly<Record<HttpFunctionName, string>> = {
  platform: 'Health and this description of the API; no token needed',
  lifecycle: "Plugins installed in the caller's tenant: install, enable, invoke, usage, tenant policy",
  marketplace:
    'The catalogue: search, publish, releases, reviews, publisher keys and verification, advisories',
  audit: "The tenant's audit trail (JSON or FHIR AuditEvents) and patient disclosure reports",
  'ehr-connection': "The tenant's one EHR connection (SMART Backend Services) and its public keys",
  'ehr-notifications': 'Change notifications the EHR sends (FHIR rest-hook subscriptions)',
  events: "The tenant's events feed (lifecycle, errors, limit breaches, advisories) and its webhooks",
};

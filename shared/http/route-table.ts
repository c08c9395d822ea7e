/**
 * Every route record, in one list. The CDK API stack creates an API Gateway route per record, the
 * local platform matches on them, each function dispatches and parses with them, and the OpenAPI
 * document is built from them, so none of those can drift from another.
 */
import { type HttpFunctionName, metadataOf, type RouteDefinition, type RouteRecord } from './route-record.ts';
import { AUDIT_ROUTES } from './routes/audit-routes.ts';
import { EHR_CONNECTION_ROUTES } from './routes/ehr-connection-routes.ts';
import { EHR_NOTIFICATION_ROUTES } from './routes/ehr-notification-routes.ts';
import { LIFECYCLE_ROUTES } from './routes/lifecycle-routes.ts';
import { MARKETPLACE_ADVISORY_ROUTES } from './routes/marketplace-advisory-routes.ts';
import { MARKETPLACE_PUBLISHER_ROUTES } from './routes/marketplace-publisher-routes.ts';
import { MARKETPLACE_REVIEW_ROUTES } from './routes/marketplace-review-routes.ts';
import { MARKETPLACE_ROUTES } from './routes/marketplace-routes.ts';
import { PLATFORM_ROUTES } from './routes/platform-routes.ts';
import { TENANT_EVENT_ROUTES } from './routes/tenant-event-routes.ts';

export {
  FUNCTION_NAMES,
  type HttpFunctionName,
  type RouteDefinition,
  type RouteRecord,
  SCOPES,
  type Scope,
} from './route-record.ts';

export const ROUTE_RECORDS: readonly RouteRecord[] = [
  ...PLATFORM_ROUTES,
  ...LIFECYCLE_ROUTES,
  ...MARKETPLACE_ROUTES,
  ...MARKETPLACE_REVIEW_ROUTES,
  ...MARKETPLACE_PUBLISHER_ROUTES,
  ...MARKETPLACE_ADVISORY_ROUTES,
  ...AUDIT_ROUTES,
  ...EHR_CONNECTION_ROUTES,
  ...EHR_NOTIFICATION_ROUTES,
  ...TENANT_EVENT_ROUTES,
];

/** The metadata-only view of the same records, for API Gateway and the local matcher. */
export const ROUTES: readonly RouteDefinition[] = ROUTE_RECORDS.map(metadataOf);

export function recordsOf(fn: HttpFunctionName): readonly RouteRecord[] {
  return ROUTE_RECORDS.filter((record) => record.function === fn);
}

/**
 * The modules whose exported `…Schema` constants name the document's `components.schemas`
 * (`InstallationSchema` → `Installation`), when a route reaches them; a schema from elsewhere is
 * written inline where it is used. Adding a module here only names shapes: it cannot change one.
 */
import * as advisoryRescan from '../domain/advisory-rescan.ts';
import * as auditEvent from '../domain/audit-fhir/audit-event-schema.ts';
import * as auditQuery from '../domain/audit-query.ts';
import * as dependencyScan from '../domain/dependency-scan.ts';
import * as ehr from '../domain/ehr.ts';
import * as ehrConnection from '../domain/ehr-connection.ts';
import * as ehrConnectionView from '../domain/ehr-connection-view.ts';
import * as ehrNotification from '../domain/ehr-notification.ts';
import * as identifiers from '../domain/identifiers.ts';
import * as installation from '../domain/installation.ts';
import * as invocation from '../domain/invocation.ts';
import * as manifest from '../domain/manifest.ts';
import * as marketplace from '../domain/marketplace.ts';
import * as marketplaceViews from '../domain/marketplace-views.ts';
import * as permissions from '../domain/permissions.ts';
import * as platformEvents from '../domain/platform-events.ts';
import * as publisherVerification from '../domain/publisher-verification.ts';
import * as review from '../domain/review.ts';
import * as signatures from '../domain/signatures.ts';
import * as tenantEvents from '../domain/tenant-events.ts';
import * as tenantPolicy from '../domain/tenant-policy.ts';
import * as usageSeries from '../domain/usage-series.ts';
import * as usageSummary from '../domain/usage-summary.ts';
import * as webhooks from '../domain/webhooks.ts';

export const COMPONENT_SCHEMA_MODULES: readonly Readonly<Record<string, unknown>>[] = [
  identifiers,
  permissions,
  signatures,
  manifest,
  installation,
  invocation,
  usageSeries,
  usageSummary,
  marketplace,
  marketplaceViews,
  dependencyScan,
  advisoryRescan,
  publisherVerification,
  review,
  tenantPolicy,
  ehr,
  ehrConnection,
  ehrConnectionView,
  ehrNotification,
  auditQuery,
  auditEvent,
  platformEvents,
  tenantEvents,
  webhooks,
];

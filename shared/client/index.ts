/**
 * `gradiant-plugins/client`: the product's Plugin Service and Plugin Marketplace Service over the
 * platform's HTTP API, typed by the server's own route records. Imports zod and the route records
 * (schemas) only: no AWS SDK, no adapter, no `node:` module, so it runs in Node 24 and browsers.
 */

export type { AnswerCode, ErrorCode } from '../domain/errors/error-codes.ts';
export type { TenantEvent, TenantEventType } from '../domain/tenant-events.ts';
export { TENANT_EVENT_TYPES } from '../domain/tenant-events.ts';
export type { ApiErrorCode, CallSite, FieldProblem, ProblemFinding } from './client-errors.ts';
export {
  GradiantApiError,
  GradiantNetworkError,
  GradiantResponseError,
  UNRECOGNISED_RESPONSE_CODE,
} from './client-errors.ts';
export type { Answer, ClientOptions, TokenSource } from './http-transport.ts';
export type { IdempotentCallOptions } from './idempotent-call.ts';
export type { ListOptions, Page } from './page-iterator.ts';
export { PageIterator } from './page-iterator.ts';
export type {
  MarketplaceInstallation,
  PluginPage,
  PluginSummary,
  PublicReview,
  ReviewInput,
  ReviewReport,
  ReviewReportReceipt,
  SearchPluginsRequest,
  SearchResults,
  UpdateAvailable,
  VersionSummary,
} from './plugin-marketplace-service.ts';
export { PluginMarketplaceService } from './plugin-marketplace-service.ts';
export type {
  ArtifactUpload,
  ArtifactUploadRequest,
  PublishedRelease,
  PublisherKey,
  PublisherKeyRegistration,
  PublishReleaseRequest,
} from './plugin-publisher-service.ts';
export { PluginPublisherService } from './plugin-publisher-service.ts';
export type {
  AuditEventBundle,
  AuditQuery,
  AuditRecordView,
  Disclosure,
  DisclosuresQuery,
  EnablePluginOptions,
  EventsPage,
  EventsQuery,
  Installation,
  InstallPluginRequest,
  InvocationResult,
  PluginServiceOptions,
  RegisteredWebhook,
  UpdatePluginRequest,
  UsageQuery,
  UsageReport,
  Webhook,
  WebhookRegistration,
} from './plugin-service.ts';
export { PluginService } from './plugin-service.ts';
export type { RetryOptions } from './retry-policy.ts';
export type {
  FeedErrorHandler,
  TenantEventDetail,
  TenantEventFeed,
  TenantEventFeedOptions,
  TenantEventHandler,
  TenantEventPayload,
} from './tenant-event-feed.ts';
export type {
  TenantPolicy,
  TenantPolicyInput,
  TenantPolicyPatch,
  VersionedPolicy,
} from './tenant-policy-client.ts';

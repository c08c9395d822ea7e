import type { TenantEventType } from '../domain/tenant-events.ts';
import { AUDIT_ROUTES } from '../http/routes/audit-routes.ts';
import { LIFECYCLE_ROUTES } from '../http/routes/lifecycle-routes.ts';
import { TENANT_EVENT_ROUTES } from '../http/routes/tenant-event-routes.ts';
import { type ClientOptions, HttpTransport } from './http-transport.ts';
import { type IdempotentCallOptions, keyHeader } from './idempotent-call.ts';
import type { ListOptions, PageIterator } from './page-iterator.ts';
import { routeOf } from './route-lookup.ts';
import { pagesOf } from './route-pages.ts';
import type { AlternativeResultOf, BodyOf, ItemOf, QueryOf, ResultOf } from './route-types.ts';
import {
  type EventsPage,
  type FeedErrorHandler,
  TenantEventFeed,
  type TenantEventFeedOptions,
  type TenantEventHandler,
} from './tenant-event-feed.ts';
import { TenantPolicyClient } from './tenant-policy-client.ts';

const ROUTES = {
  list: routeOf(LIFECYCLE_ROUTES, 'GET /v1/plugins'),
  install: routeOf(LIFECYCLE_ROUTES, 'POST /v1/plugins'),
  get: routeOf(LIFECYCLE_ROUTES, 'GET /v1/plugins/{id}'),
  uninstall: routeOf(LIFECYCLE_ROUTES, 'DELETE /v1/plugins/{id}'),
  enable: routeOf(LIFECYCLE_ROUTES, 'POST /v1/plugins/{id}/enable'),
  disable: routeOf(LIFECYCLE_ROUTES, 'POST /v1/plugins/{id}/disable'),
  update: routeOf(LIFECYCLE_ROUTES, 'POST /v1/plugins/{id}/update'),
  invoke: routeOf(LIFECYCLE_ROUTES, 'POST /v1/plugins/{id}/invoke'),
  usage: routeOf(LIFECYCLE_ROUTES, 'GET /v1/plugins/{id}/usage'),
  audit: routeOf(AUDIT_ROUTES, 'GET /v1/audit'),
  disclosures: routeOf(AUDIT_ROUTES, 'GET /v1/audit/patients/{patientId}/disclosures'),
  events: routeOf(TENANT_EVENT_ROUTES, 'GET /v1/events'),
  registerWebhook: routeOf(TENANT_EVENT_ROUTES, 'POST /v1/webhooks'),
  listWebhooks: routeOf(TENANT_EVENT_ROUTES, 'GET /v1/webhooks'),
  deleteWebhook: routeOf(TENANT_EVENT_ROUTES, 'DELETE /v1/webhooks/{webhookId}'),
} as const;

export type Installation = ResultOf<typeof ROUTES.install>;
export type InstallPluginRequest = BodyOf<typeof ROUTES.install>;
export type UpdatePluginRequest = BodyOf<typeof ROUTES.update>;
export type EnablePluginOptions = NonNullable<BodyOf<typeof ROUTES.enable>>;
export type InvocationResult = ResultOf<typeof ROUTES.invoke>;
export type UsageQuery = QueryOf<typeof ROUTES.usage>;
export type UsageReport = ResultOf<typeof ROUTES.usage>;
export type AuditRecordView = ItemOf<typeof ROUTES.audit>;
/** The JSON listing; `format=fhir` (a FHIR Bundle) is not part of the iterator. */
export type AuditQuery = Omit<NonNullable<QueryOf<typeof ROUTES.audit>>, 'format' | 'cursor'>;
export type AuditEventBundle = AlternativeResultOf<typeof ROUTES.audit>;
export type Disclosure = ItemOf<typeof ROUTES.disclosures>;
export type DisclosuresQuery = Omit<NonNullable<QueryOf<typeof ROUTES.disclosures>>, 'cursor'>;
export type EventsQuery = QueryOf<typeof ROUTES.events>;
export type WebhookRegistration = BodyOf<typeof ROUTES.registerWebhook>;
export type RegisteredWebhook = ResultOf<typeof ROUTES.registerWebhook>;
export type Webhook = ItemOf<typeof ROUTES.listWebhooks>;
export type { EventsPage };

export interface PluginServiceOptions extends ClientOptions {
  readonly events?: TenantEventFeedOptions;
}

/**
 * The Plugin Service of the product, over the platform's HTTP API: the installations of the
 * caller's tenant, their usage, the tenant policy, the audit trail and the events feed (`on()`).
 */
export class PluginService {
  private readonly transport: HttpTransport;
  private readonly feed: TenantEventFeed;
  /** The tenant's plugin policy (read with its ETag, replace or merge-patch it). */
  readonly policy: TenantPolicyClient;

  constructor(options: PluginServiceOptions) {
    this.transport = new HttpTransport(options);
    this.feed = new TenantEventFeed(this.transport, options.events);
    this.policy = new TenantPolicyClient(this.transport);
  }

  /** The seed's `installPlugin({ id, version, code, metadata })`, plus the publisher `signature`. */
  async installPlugin(
    request: InstallPluginRequest,
    options: IdempotentCallOptions = {},
  ): Promise<Installation> {
    return (await this.transport.send(ROUTES.install, { body: request, headers: keyHeader(options) })).body;
  }

  /** Grants every permission the plugin asks for, or only `grants`. */
  async enablePlugin(id: string, options: EnablePluginOptions = {}): Promise<Installation> {
    const body = options.grants === undefined ? undefined : { grants: options.grants };
    return (await this.transport.send(ROUTES.enable, { path: { id }, body })).body;
  }

  async disablePlugin(id: string): Promise<Installation> {
    return (await this.transport.send(ROUTES.disable, { path: { id } })).body;
  }

  async uninstallPlugin(id: string): Promise<void> {
    await this.transport.send(ROUTES.uninstall, { path: { id } });
  }

  /** `{ version }` for a marketplace release; `{ version, code, metadata, signature }` for a direct one. */
  async updatePlugin(
    id: string,
    update: UpdatePluginRequest,
    options: IdempotentCallOptions = {},
  ): Promise<Installation> {
    return (
      await this.transport.send(ROUTES.update, { path: { id }, body: update, headers: keyHeader(options) })
    ).body;
  }

  /** `for await (const installation of plugins.listPlugins())`. */
  listPlugins(options: ListOptions = {}): PageIterator<Installation> {
    return pagesOf(this.transport, ROUTES.list, { query: { limit: options.limit } }, options.cursor);
  }

  async getPlugin(id: string): Promise<Installation> {
    return (await this.transport.send(ROUTES.get, { path: { id } })).body;
  }

  /** Runs an enabled plugin; never retried (a plugin run may have effects). */
  async invokePlugin(id: string, input?: unknown): Promise<InvocationResult> {
    return (await this.transport.send(ROUTES.invoke, { path: { id }, body: { input } })).body;
  }

  async getUsage(id: string, query: UsageQuery = {}): Promise<UsageReport> {
    return (await this.transport.send(ROUTES.usage, { path: { id }, query })).body;
  }

  /** The tenant's audit records, newest first (the server's default window: the last 24 h). */
  listAuditRecords(query: AuditQuery = {}): PageIterator<AuditRecordView> {
    return pagesOf(this.transport, ROUTES.audit, { query });
  }

  /**
   * The same audit query as one FHIR R4 searchset Bundle of AuditEvents (`format=fhir`); its
   * `next` link's `cursor` continues it.
   */
  async getAuditBundle(query: AuditQuery & { readonly cursor?: string } = {}): Promise<AuditEventBundle> {
    return (await this.transport.sendForAlternative(ROUTES.audit, { query: { ...query, format: 'fhir' } }))
      .body;
  }

  /** One patient's accounting of disclosures: every plugin run that read or changed their record. */
  listDisclosures(patientId: string, query: DisclosuresQuery = {}): PageIterator<Disclosure> {
    return pagesOf(this.transport, ROUTES.disclosures, { path: { patientId }, query });
  }

  /** One page of the events feed, for callers that keep their own loop (`on()` does it for you). */
  async listEvents(query: EventsQuery = {}): Promise<EventsPage> {
    return (await this.transport.send(ROUTES.events, { query })).body;
  }

  async registerWebhook(
    registration: WebhookRegistration,
    options: IdempotentCallOptions = {},
  ): Promise<RegisteredWebhook> {
    return (
      await this.transport.send(ROUTES.registerWebhook, { body: registration, headers: keyHeader(options) })
    ).body;
  }

  listWebhooks(options: ListOptions = {}): PageIterator<Webhook> {
    return pagesOf(this.transport, ROUTES.listWebhooks, { query: { limit: options.limit } }, options.cursor);
  }

  async deleteWebhook(webhookId: string): Promise<void> {
    await this.transport.send(ROUTES.deleteWebhook, { path: { webhookId } });
  }

  /** The seed's `pluginService.on('plugin:enabled', ({ pluginId }) => …)`, fed by the events feed. */
  on<Type extends TenantEventType>(type: Type, handler: TenantEventHandler<Type>): this;
  on(type: 'error', handler: FeedErrorHandler): this;
  on(type: TenantEventType | 'error', handler: TenantEventHandler<never> | FeedErrorHandler): this {
    this.feed.on(type as 'error', handler as FeedErrorHandler);
    return this;
  }

  off<Type extends TenantEventType>(type: Type, handler: TenantEventHandler<Type>): this;
  off(type: 'error', handler: FeedErrorHandler): this;
  off(type: TenantEventType | 'error', handler: TenantEventHandler<never> | FeedErrorHandler): this {
    this.feed.off(type as 'error', handler as FeedErrorHandler);
    return this;
  }

  /** The events feed behind `on()`: `start()`, `stop()`, `poll()` and its `cursor`. */
  get events(): TenantEventFeed {
    return this.feed;
  }
}

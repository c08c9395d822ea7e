import { getStatus, OperationOutcomeError } from '@medplum/core';
import {
  type FhirRequest,
  type FhirResponse,
  FhirRouter,
  type HttpMethod,
  MemoryRepository,
} from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { capabilityStatement, smartConfiguration } from './capability-statement.ts';
import { FaultInjection, type FaultSpec } from './fault-injection.ts';
import { FHIR_JSON, type FhirAnswer, outcomeAnswer } from './fhir-answer.ts';
import { RestHookSubscriptions } from './rest-hook-subscriptions.ts';
import { pageSizeOf, withPagingLinks } from './search-paging.ts';
import { isPermitted } from './smart-scopes.ts';
import { type ClientRegistration, SmartTokenEndpoint } from './smart-token-endpoint.ts';

export interface FhirRestRequest {
  readonly method: string;
  /** The path under the base, without a leading slash: `Patient/p-001`. */
  readonly path: string;
  readonly searchParams: URLSearchParams;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: unknown;
}

const WRITE_INTERACTIONS = new Set(['create', 'update', 'patch']);

function queryOf(searchParams: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of searchParams) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

function bearerToken(headers: FhirRestRequest['headers']): string | undefined {
  const value = headers.authorization;
  const match = typeof value === 'string' ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1];
}

/**
 * One FHIR R4 server base: its own Medplum MemoryRepository, token endpoint, subscriptions and
 * test hooks. Nothing is shared between bases but the (immutable) FHIR definitions.
 */
export class FhirBase {
  readonly name: string;
  readonly baseUrl: string;
  readonly tokenEndpoint: string;
  readonly #repo = new MemoryRepository();
  readonly #router = new FhirRouter();
  readonly #tokens: SmartTokenEndpoint;
  readonly #faults = new FaultInjection();
  readonly #subscriptions: RestHookSubscriptions;
  readonly #version: string;
  requests = 0;

  constructor(options: { name: string; origin: string; version: string }) {
    this.name = options.name;
    this.baseUrl = `${options.origin}/${options.name}/fhir`;
    this.tokenEndpoint = `${options.origin}/${options.name}/auth/token`;
    this.#version = options.version;
    this.#tokens = new SmartTokenEndpoint(this.tokenEndpoint);
    this.#subscriptions = new RestHookSubscriptions(this.#repo, this.baseUrl);
  }

  registerClient(registration: ClientRegistration): void {
    this.#tokens.registerClient(registration);
  }

  /** Stores resources under their own ids (`Patient/p-001`), replacing any already there. No notifications. */
  async seed(resources: readonly Resource[]): Promise<void> {
    for (const resource of resources) {
      if (!resource.id) throw new Error(`A seeded ${resource.resourceType} needs an id`);
      await this.#repo.createResource(resource, undefined, true);
    }
  }

  injectFaults(spec: FaultSpec): void {
    this.#faults.inject(spec);
  }

  revokeTokens(): void {
    this.#tokens.revokeTokens();
  }

  get tokenLifetimeSeconds(): number {
    return this.#tokens.tokenLifetimeSeconds;
  }

  set tokenLifetimeSeconds(seconds: number) {
    this.#tokens.tokenLifetimeSeconds = seconds;
  }

  get tokenRequests(): number {
    return this.#tokens.tokenRequests;
  }

  get notifications() {
    return this.#subscriptions.notifications;
  }

  flushNotifications(): Promise<void> {
    return this.#subscriptions.flush();
  }

  exchangeToken(form: URLSearchParams) {
    return this.#tokens.exchange(form);
  }

  async handleFhir(request: FhirRestRequest): Promise<FhirAnswer> {
    this.requests += 1;
    const json = (body: unknown): FhirAnswer => ({
      status: 200,
      headers: { 'content-type': FHIR_JSON },
      body,
    });
    if (request.method === 'GET' && request.path === 'metadata') {
      return json(capabilityStatement(this.baseUrl, this.tokenEndpoint, this.#version));
    }
    if (request.method === 'GET' && request.path === '.well-known/smart-configuration') {
      return {
        ...json(smartConfiguration(this.tokenEndpoint)),
        headers: { 'content-type': 'application/json' },
      };
    }

    const accessToken = bearerToken(request.headers);
    const token = accessToken ? this.#tokens.introspect(accessToken) : undefined;
    if (!token) {
      return outcomeAnswer(401, 'login', 'A valid bearer token is required', {
        'www-authenticate': accessToken ? 'Bearer error="invalid_token"' : 'Bearer',
      });
    }
    const route = this.#router.find(request.method as HttpMethod, request.path);
    const resourceType = route?.params.resourceType;
    if (!route || !resourceType) return outcomeAnswer(404, 'not-found', 'Unknown FHIR interaction');
    if (!isPermitted(token.scopes, resourceType, route.data?.interaction ?? '')) {
      return outcomeAnswer(403, 'forbidden', 'The token scopes do not allow this interaction', {
        'www-authenticate': 'Bearer error="insufficient_scope"',
      });
    }
    const fault = this.#faults.take(request.path);
    if (fault) return fault;

    const isSearch = route.data?.interaction === 'search-type';
    let body = request.body;
    if (route.data?.interaction === 'create' && body && typeof body === 'object') {
      // Medplum's router keeps a client-chosen id on create; real EHRs assign their own.
      const { id: _ignored, ...withoutId } = body as Record<string, unknown>;
      body = withoutId;
    }
    const searchParams = new URLSearchParams(request.searchParams);
    if (isSearch) searchParams.set('_count', String(pageSizeOf(searchParams)));
    const search = searchParams.size ? `?${searchParams}` : '';
    const [outcome, resource] = await this.#route({
      method: request.method as HttpMethod,
      url: `${request.path}${search}`,
      // Medplum refuses a request that sets `pathname`: the route comes from `url` only.
      pathname: '',
      query: queryOf(searchParams),
      params: {},
      body,
      headers: request.headers,
    });
    const status = getStatus(outcome);
    if (status >= 400 || !resource) return { status, headers: { 'content-type': FHIR_JSON }, body: outcome };
    if (isSearch)
      return json(withPagingLinks(resource as Bundle, `${this.baseUrl}/${resourceType}`, searchParams));

    let answered = resource;
    if (WRITE_INTERACTIONS.has(route.data?.interaction ?? '') && answered.id) {
      const written = answered as Resource & { id: string };
      if (written.resourceType === 'Subscription') answered = await this.#subscriptions.activate(written);
      else await this.#subscriptions.resourceWritten(written, request.method === 'POST' ? 'POST' : 'PUT');
    }
    return { status, headers: this.#resourceHeaders(answered, status), body: answered };
  }

  async #route(request: FhirRequest): Promise<FhirResponse> {
    try {
      return await this.#router.handleRequest(request, this.#repo);
    } catch (error) {
      if (error instanceof OperationOutcomeError) return [error.outcome];
      throw error;
    }
  }

  #resourceHeaders(resource: Resource, status: number): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': FHIR_JSON };
    const versionId = resource.meta?.versionId;
    if (versionId) headers.etag = `W/"${versionId}"`;
    if (resource.meta?.lastUpdated)
      headers['last-modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    if (status === 201 && resource.id && versionId) {
      headers.location = `${this.baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
    }
    return headers;
  }
}

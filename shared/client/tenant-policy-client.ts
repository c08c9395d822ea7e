import { TENANT_POLICY_ROUTES } from '../http/routes/tenant-policy-routes.ts';
import type { HttpTransport } from './http-transport.ts';
import { routeOf } from './route-lookup.ts';
import type { BodyOf, ResultOf } from './route-types.ts';

const ROUTES = {
  read: routeOf(TENANT_POLICY_ROUTES, 'GET /v1/tenant/policy'),
  replace: routeOf(TENANT_POLICY_ROUTES, 'PUT /v1/tenant/policy'),
  patch: routeOf(TENANT_POLICY_ROUTES, 'PATCH /v1/tenant/policy'),
} as const;

export type TenantPolicy = ResultOf<typeof ROUTES.read>;
export type TenantPolicyInput = BodyOf<typeof ROUTES.replace>;
export type TenantPolicyPatch = BodyOf<typeof ROUTES.patch>;

/** The policy with its version as the server's strong ETag (`"3"`): send it back as `ifMatch`. */
export interface VersionedPolicy {
  readonly policy: TenantPolicy;
  readonly etag: string;
}

/**
 * The tenant policy routes. PUT replaces every field and so needs the ETag read (428 without, 412
 * when it changed meanwhile: read again and redo the change); PATCH may go without one.
 */
export class TenantPolicyClient {
  private readonly transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.transport = transport;
  }

  async get(): Promise<VersionedPolicy> {
    return versioned(await this.transport.send(ROUTES.read));
  }

  async replace(policy: TenantPolicyInput, ifMatch: string): Promise<VersionedPolicy> {
    return versioned(
      await this.transport.send(ROUTES.replace, { body: policy, headers: { 'if-match': ifMatch } }),
    );
  }

  /** An RFC 7396 merge patch: `null` removes a field, absent ones stay. */
  async patch(
    patch: TenantPolicyPatch,
    options: { readonly ifMatch?: string } = {},
  ): Promise<VersionedPolicy> {
    const headers = options.ifMatch === undefined ? undefined : { 'if-match': options.ifMatch };
    return versioned(await this.transport.send(ROUTES.patch, { body: patch, headers }));
  }
}

const versioned = (answer: { body: TenantPolicy; headers: Headers }): VersionedPolicy => ({
  policy: answer.body,
  etag: answer.headers.get('etag') ?? '',
});

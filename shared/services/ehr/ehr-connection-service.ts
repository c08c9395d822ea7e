import { actorIn } from '../../domain/actors.ts';
import type { EhrConnection, EhrConnectionSettings } from '../../domain/ehr-connection.ts';
import { type EhrConnectionView, ehrConnectionViewOf, jwksPathOf } from '../../domain/ehr-connection-view.ts';
import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { ehrConnectionNotFound } from '../../domain/errors/ehr-errors.ts';
import { preconditionFailed, preconditionRequired } from '../../domain/errors/lifecycle-errors.ts';
import { validationFailed } from '../../domain/errors/request-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { EhrConnectionProbe, EhrProbeReport } from '../../ports/ehr-connection-probe.ts';
import type { EhrConnectionRepository } from '../../ports/ehr-connection-repository.ts';
import type { EhrEndpointGuard } from '../../ports/ehr-endpoint-guard.ts';
import type { EhrSigningKeys } from '../../ports/ehr-signing-keys.ts';
import type { EhrSubscriptions } from '../../ports/ehr-subscriptions.ts';
import { type AuditTrail, audited } from '../audit/audit-trail.ts';
import { ensureEhrSubscriptions } from './ensure-ehr-subscriptions.ts';

/** The version a replace is conditional on (`If-Match`), or `'*'` for whatever is current. */
export type EhrConnectionPrecondition = number | '*';

/** The test route's answer: each check, and whether all passed. */
export interface EhrConnectionTestReport extends EhrProbeReport {
  readonly ok: boolean;
  readonly subscriptions: { readonly ok: boolean; readonly reason?: string | undefined };
}

export interface EhrConnectionServiceDependencies {
  readonly tenantId: TenantId;
  readonly actorId: string;
  readonly requestId?: string | undefined;
  readonly connections: EhrConnectionRepository;
  readonly signingKeys: EhrSigningKeys;
  readonly probe: EhrConnectionProbe;
  /** The tenant's FHIR rest-hook subscriptions, (re)created by the test once a token is granted. */
  readonly subscriptions: EhrSubscriptions;
  readonly endpointGuard: EhrEndpointGuard;
  /** The outbox the change and its record commit to; its clock stamps the change. */
  readonly auditTrail: AuditTrail;
  /** The API's public origin (and base path), e.g. https://api.example.org: the JWKS URL's base. */
  readonly publicApiBaseUrl: string;
  /** How long discovery at save and the connection test may take the EHR to answer. */
  readonly probeTimeoutMs: number;
}

const WHAT = 'EHR connection';

/** The absolute JWKS URL of a tenant under the API's public base. */
export const jwksUrlOf = (publicApiBaseUrl: string, tenantId: string): string =>
  `${publicApiBaseUrl.replace(/\/+$/, '')}${jwksPathOf(tenantId)}`;

/**
 * A tenant's one EHR connection, as its admin manages it. Saving checks every URL against the
 * endpoint guard (https, no private or metadata address, names resolved) — the discovered token
 * endpoint too, since a hostile SMART configuration could point anywhere — ensures the tenant's
 * signing key, and writes conditionally on the version read, with its audit record in the same
 * transaction. Replacing an existing connection needs If-Match (428 without): a blind replace
 * could undo another admin's change. No answer carries key material or a token.
 */
export class EhrConnectionService {
  private readonly deps: EhrConnectionServiceDependencies;

  constructor(deps: EhrConnectionServiceDependencies) {
    this.deps = deps;
  }

  async get(): Promise<EhrConnectionView> {
    return this.viewOf(await this.current());
  }

  async put(
    settings: EhrConnectionSettings,
    precondition: EhrConnectionPrecondition | undefined,
  ): Promise<{ view: EhrConnectionView; isCreated: boolean }> {
    return audited(this.deps.auditTrail, this.record('ehr-connection:updated'), async (commit) => {
      const stored = await this.deps.connections.get(this.deps.tenantId);
      checkPrecondition(stored, precondition);
      await this.checkEndpoint(settings.fhirBaseUrl, 'body.fhirBaseUrl');
      const resolvedTokenEndpoint = await this.tokenEndpointOf(settings);
      const keyId = await this.deps.signingKeys.ensure(this.deps.tenantId, settings.signingAlgorithm);
      const now = this.deps.auditTrail.clock.now().toISOString();
      const expectedVersion = stored?.version ?? 0;
      const connection: EhrConnection = {
        ...settings,
        tenantId: this.deps.tenantId,
        keyId,
        resolvedTokenEndpoint,
        // A new server needs a new subscription: the subscription side starts over from pending.
        ...(stored?.subscription && stored.fhirBaseUrl === settings.fhirBaseUrl
          ? { subscription: stored.subscription }
          : {}),
        version: expectedVersion + 1,
        createdAt: stored?.createdAt ?? now,
        updatedAt: now,
        updatedBy: this.deps.actorId,
      };
      // Ids and settings only: the URLs and the client id identify a server, not a patient.
      const outbox = commit({
        keyId,
        reason: `version ${connection.version}; ${settings.signingAlgorithm}; ${new URL(settings.fhirBaseUrl).origin}`,
      });
      const saved = await this.write(connection, expectedVersion, precondition, outbox);
      return { view: this.viewOf(saved), isCreated: stored === undefined };
    });
  }

  /**
   * Reads the server's CapabilityStatement and requests one fresh token (never shown), then, with a
   * token granted, (re)creates the rest-hook subscriptions, so that the admin's one step after
   * registering the JWKS URL with the EHR is this test: it proves the connection and subscribes.
   */
  async test(): Promise<EhrConnectionTestReport> {
    return audited(this.deps.auditTrail, this.record('ehr-connection:tested'), async () => {
      const connection = await this.current();
      const report = await this.deps.probe.probe(connection, this.deadline());
      const subscriptions = report.token.ok
        ? await this.subscribe()
        : { ok: false, reason: 'skipped: no token was granted' };
      return {
        capabilityStatement: report.capabilityStatement,
        token: report.token,
        subscriptions,
        ok: report.capabilityStatement.ok && report.token.ok && subscriptions.ok,
      };
    });
  }

  private async subscribe(): Promise<{ ok: boolean; reason?: string }> {
    const subscription = await ensureEhrSubscriptions(
      { tenantId: this.deps.tenantId, actor: actorIn(this.deps.tenantId, this.deps.actorId) },
      {
        ...this.deps.auditTrail,
        connections: this.deps.connections,
        subscriptions: this.deps.subscriptions,
        publicApiBaseUrl: this.deps.publicApiBaseUrl,
        budgetMs: this.deps.probeTimeoutMs,
      },
    );
    return subscription.state === 'active'
      ? { ok: true }
      : { ok: false, ...(subscription.reason ? { reason: subscription.reason } : {}) };
  }

  private async current(): Promise<EhrConnection> {
    const connection = await this.deps.connections.get(this.deps.tenantId);
    if (!connection) throw ehrConnectionNotFound();
    return connection;
  }

  private viewOf(connection: EhrConnection): EhrConnectionView {
    return ehrConnectionViewOf(connection, jwksUrlOf(this.deps.publicApiBaseUrl, connection.tenantId));
  }

  private async tokenEndpointOf(settings: EhrConnectionSettings): Promise<string> {
    if (settings.tokenEndpoint !== undefined) {
      await this.checkEndpoint(settings.tokenEndpoint, 'body.tokenEndpoint');
      return settings.tokenEndpoint;
    }
    const discovered = await this.deps.probe.discover(settings.fhirBaseUrl, this.deadline());
    if (!discovered)
      throw validationFailed([
        {
          field: 'body.tokenEndpoint',
          message: 'the server publishes no .well-known/smart-configuration: give the token endpoint',
        },
      ]);
    await this.checkEndpoint(
      discovered.tokenEndpoint,
      'body.tokenEndpoint',
      'the discovered token endpoint ',
    );
    return discovered.tokenEndpoint;
  }

  private async checkEndpoint(url: string, field: string, subject = ''): Promise<void> {
    const refusal = await this.deps.endpointGuard.refusalOf(url);
    if (refusal !== undefined) throw validationFailed([{ field, message: `${subject}${refusal}` }]);
  }

  private async write(
    connection: EhrConnection,
    expectedVersion: number,
    precondition: EhrConnectionPrecondition | undefined,
    outbox: Parameters<EhrConnectionRepository['put']>[2],
  ): Promise<EhrConnection> {
    try {
      return await this.deps.connections.put(connection, expectedVersion, outbox);
    } catch (error) {
      // Another write landed between the read and this one: a named version is no longer current.
      if (hasErrorCode(error, 'CONCURRENT_MODIFICATION') && typeof precondition === 'number')
        throw preconditionFailed(error, WHAT);
      throw error;
    }
  }

  private deadline(): number {
    return this.deps.auditTrail.clock.now().getTime() + this.deps.probeTimeoutMs;
  }

  private record(action: string) {
    return {
      action,
      actor: actorIn(this.deps.tenantId, this.deps.actorId),
      tenantId: this.deps.tenantId,
      ...(this.deps.requestId ? { requestId: this.deps.requestId } : {}),
    };
  }
}

/**
 * The first connection may be created without If-Match; a replace needs one. RFC 9110: If-Match
 * (even `*`) fails when there is no current representation.
 */
function checkPrecondition(
  stored: EhrConnection | undefined,
  precondition: EhrConnectionPrecondition | undefined,
): void {
  if (stored === undefined) {
    if (precondition !== undefined) throw preconditionFailed(undefined, WHAT);
    return;
  }
  if (precondition === undefined) throw preconditionRequired(WHAT);
  if (typeof precondition === 'number' && precondition !== stored.version)
    throw preconditionFailed(undefined, WHAT);
}

/** The public JWKS of a tenant: an unknown tenant answers the same empty set as one with no key. */
export async function publicJwksOf(
  tenantId: TenantId,
  signingKeys: EhrSigningKeys,
): Promise<{ keys: Readonly<Record<string, string>>[] }> {
  return { keys: await signingKeys.publicKeys(tenantId) };
}

import { z } from 'zod';
import type { EhrConnection } from '../../domain/ehr-connection.ts';
import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { ehrUnavailable } from '../../domain/errors/ehr-errors.ts';
import type {
  EhrConnectionProbe,
  EhrProbeReport,
  SmartConfiguration,
} from '../../ports/ehr-connection-probe.ts';
import type { FhirHttpClient } from './fhir-http-client.ts';
import { ehrErrorForStatus, isNotFoundStatus, isSuccessStatus } from './fhir-status-errors.ts';
import { resourceUrl } from './fhir-tenant-client.ts';
import { asObject, asObjects, asString } from './fhir-values.ts';
import type { SmartBackendTokens } from './smart-backend-tokens.ts';

/** The resource types the plugin API reaches; the probe reports which of them the server serves. */
const USED_RESOURCE_TYPES = ['Patient', 'Appointment', 'Subscription'] as const;

const SmartConfigurationSchema = z.object({
  token_endpoint: z.url({ protocol: /^https?$/ }).max(500),
  grant_types_supported: z.array(z.string().max(200)).max(50).optional(),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string().max(50)).max(50).optional(),
  scopes_supported: z.array(z.string().max(200)).max(500).optional(),
});

export interface FhirConnectionProbeDependencies {
  readonly http: FhirHttpClient;
  readonly tokens: SmartBackendTokens;
}

/**
 * The connection API's view of a FHIR server: SMART discovery when a connection is saved, and
 * the connection test (metadata, one fresh token). Both go through the same guarded client as the
 * plugin API's calls; reasons are statuses or fixed phrases, never the server's text.
 */
export class FhirConnectionProbe implements EhrConnectionProbe {
  private readonly deps: FhirConnectionProbeDependencies;

  constructor(deps: FhirConnectionProbeDependencies) {
    this.deps = deps;
  }

  async discover(fhirBaseUrl: string, deadlineAt: number): Promise<SmartConfiguration | undefined> {
    const response = await this.deps.http.send(
      {
        method: 'GET',
        url: resourceUrl({ fhirBaseUrl }, '.well-known/smart-configuration'),
        headers: { accept: 'application/json' },
      },
      deadlineAt,
    );
    if (isNotFoundStatus(response.status)) return undefined;
    if (!isSuccessStatus(response.status)) throw ehrErrorForStatus(response, 'smart-configuration');
    const parsed = SmartConfigurationSchema.safeParse(response.body);
    if (!parsed.success) throw ehrUnavailable('invalid SMART configuration');
    return {
      tokenEndpoint: parsed.data.token_endpoint,
      grantTypesSupported: parsed.data.grant_types_supported ?? [],
      tokenEndpointAuthSigningAlgValuesSupported:
        parsed.data.token_endpoint_auth_signing_alg_values_supported ?? [],
      scopesSupported: parsed.data.scopes_supported ?? [],
    };
  }

  async probe(connection: EhrConnection, deadlineAt: number): Promise<EhrProbeReport> {
    const [capabilityStatement, token] = await Promise.all([
      this.capabilities(connection, deadlineAt),
      this.token(connection, deadlineAt),
    ]);
    return { capabilityStatement, token };
  }

  private async capabilities(
    connection: EhrConnection,
    deadlineAt: number,
  ): Promise<EhrProbeReport['capabilityStatement']> {
    try {
      const response = await this.deps.http.send(
        { method: 'GET', url: resourceUrl(connection, 'metadata') },
        deadlineAt,
      );
      if (!isSuccessStatus(response.status)) return { ok: false, reason: `HTTP ${response.status}` };
      const statement = asObject(response.body);
      if (statement?.resourceType !== 'CapabilityStatement')
        return { ok: false, reason: 'not a CapabilityStatement' };
      const served = new Set(
        asObjects(statement.rest)
          .filter((rest) => rest.mode === undefined || rest.mode === 'server')
          .flatMap((rest) => asObjects(rest.resource).map((resource) => asString(resource.type))),
      );
      const fhirVersion = asString(statement.fhirVersion);
      const isR4 = fhirVersion?.startsWith('4.0') ?? false;
      return {
        ok: isR4,
        ...(isR4 ? {} : { reason: 'not FHIR R4' }),
        ...(fhirVersion && fhirVersion.length <= 20 ? { fhirVersion } : {}),
        resources: USED_RESOURCE_TYPES.filter((type) => served.has(type)),
      };
    } catch (error) {
      return { ok: false, reason: safeReason(error) };
    }
  }

  private async token(connection: EhrConnection, deadlineAt: number): Promise<EhrProbeReport['token']> {
    try {
      const token = await this.deps.tokens.requestToken(connection, deadlineAt);
      return { ok: true, grantedScopes: token.grantedScopes, expiresInSeconds: token.expiresInSeconds };
    } catch (error) {
      return { ok: false, reason: safeReason(error) };
    }
  }
}

/** EHR_* messages carry statuses and fixed phrases only; anything else is not repeated. */
function safeReason(error: unknown): string {
  return hasErrorCode(error) && error.code.startsWith('EHR_') ? error.message : 'failed';
}

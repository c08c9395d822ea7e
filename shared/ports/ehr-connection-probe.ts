import type { EhrConnection } from '../domain/ehr-connection.ts';

/** What a FHIR server's `/.well-known/smart-configuration` says, as far as the platform uses it. */
export interface SmartConfiguration {
  readonly tokenEndpoint: string;
  readonly grantTypesSupported: readonly string[];
  readonly tokenEndpointAuthSigningAlgValuesSupported: readonly string[];
  readonly scopesSupported: readonly string[];
}

/** One check of a connection; `reason` is a status or a fixed phrase, never the server's text. */
export interface EhrProbeCheck {
  readonly ok: boolean;
  readonly reason?: string | undefined;
}

export interface EhrProbeReport {
  readonly capabilityStatement: EhrProbeCheck & {
    readonly fhirVersion?: string | undefined;
    /** Resource types the server says it serves, of those the plugin API uses. */
    readonly resources?: readonly string[] | undefined;
  };
  readonly token: EhrProbeCheck & {
    readonly grantedScopes?: readonly string[] | undefined;
    readonly expiresInSeconds?: number | undefined;
  };
}

/** Reaches a tenant's EHR on the admin's behalf: discovery when saving, and the connection test. */
export interface EhrConnectionProbe {
  /** The server's SMART configuration; undefined when it publishes none (404). */
  discover(fhirBaseUrl: string, deadlineAt: number): Promise<SmartConfiguration | undefined>;
  /** Reads `metadata` and requests one fresh token (never cached, never shown). */
  probe(connection: EhrConnection, deadlineAt: number): Promise<EhrProbeReport>;
}

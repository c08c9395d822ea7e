import type { CapabilityStatement } from '@medplum/fhirtypes';

export const PATIENT_SEARCH_PARAMETERS = [
  'name',
  'family',
  'given',
  'birthdate',
  'identifier',
  'gender',
  '_count',
];
export const APPOINTMENT_SEARCH_PARAMETERS = ['patient', 'status', 'date', '_count'];
export const SUPPORTED_SCOPES = [
  'system/Patient.rs',
  'system/Patient.u',
  'system/Appointment.cruds',
  'system/Subscription.crud',
];

const INTERACTIONS = ['read', 'vread', 'history-instance', 'search-type', 'create', 'update'] as const;

/** `GET <base>/metadata`: Medplum's router answers no CapabilityStatement, so the stand-in serves its own. */
export function capabilityStatement(
  baseUrl: string,
  tokenEndpoint: string,
  version: string,
): CapabilityStatement {
  const resource = (type: string, searchParams: string[]) => ({
    type,
    interaction: INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned-update' as const,
    conditionalUpdate: false,
    searchParam: searchParams.map((name) => ({
      name,
      type: name === 'birthdate' || name === 'date' ? 'date' : 'token',
    })),
  });
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    software: { name: 'Gradiant local FHIR stand-in', version },
    implementation: { description: 'Local FHIR R4 stand-in (not a real EHR)', url: baseUrl },
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: tokenEndpoint }],
            },
          ],
        },
        resource: [
          resource('Patient', PATIENT_SEARCH_PARAMETERS),
          resource('Appointment', APPOINTMENT_SEARCH_PARAMETERS),
          resource('Subscription', []),
        ],
      },
    ],
  } as CapabilityStatement;
}

/** `GET <base>/.well-known/smart-configuration` (SMART App Launch 2.x, Backend Services). */
export function smartConfiguration(tokenEndpoint: string) {
  return {
    token_endpoint: tokenEndpoint,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES384', 'RS384'],
    scopes_supported: SUPPORTED_SCOPES,
    capabilities: ['client-confidential-asymmetric', 'permission-v2'],
  };
}

import type { OperationOutcome } from '@medplum/fhirtypes';

/** What the HTTP layer writes: a status, headers and a JSON body. */
export interface FhirAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export const FHIR_JSON = 'application/fhir+json';

export function outcomeAnswer(
  status: number,
  code: string,
  text: string,
  headers: Record<string, string> = {},
): FhirAnswer {
  const outcome: OperationOutcome = {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: code as 'processing', details: { text } }],
  };
  return { status, headers: { 'content-type': FHIR_JSON, ...headers }, body: outcome };
}

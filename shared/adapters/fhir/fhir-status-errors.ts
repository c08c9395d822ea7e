import type { DomainError } from '../../domain/errors/domain-error.ts';
import {
  ehrConflict,
  ehrRateLimited,
  ehrRefused,
  ehrRejected,
  ehrUnavailable,
} from '../../domain/errors/ehr-errors.ts';
import type { FhirHttpResponse } from './fhir-http-client.ts';

/**
 * The EHR error a non-2xx answer stands for (404 and 410 are "not found", answered as undefined
 * by the callers, not errors). The error names the reference and the status only: an
 * OperationOutcome's text may quote the record, so it is never read.
 */
export function ehrErrorForStatus(response: FhirHttpResponse, reference: string): DomainError {
  const { status } = response;
  if (status === 409 || status === 412) return ehrConflict(reference);
  if (status === 429) return ehrRateLimited(response.retryAfterSeconds);
  if (status === 401 || status === 403) return ehrRefused(status);
  if (status === 400 || status === 422) return ehrRejected(status);
  if (status >= 500) return ehrUnavailable(`HTTP ${status}`);
  // Other 4xx (405, 406, 415…) mean the server does not serve what the adapter asked for.
  return ehrRejected(status);
}

export const isNotFoundStatus = (status: number) => status === 404 || status === 410;
export const isSuccessStatus = (status: number) => status >= 200 && status < 300;

import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import { type ApiErrorCode, HostError } from '../../sandbox/errors.ts';

/**
 * What a plugin sees of an EHR failure: the typed code it can act on (read again after a
 * Conflict, back off after RateLimited, give up on NotConnected). The EHR errors' messages carry
 * ids and statuses only, so they are passed on as they are.
 */
const HOST_CODE_FOR_EHR: Readonly<Record<string, ApiErrorCode>> = {
  EHR_NOT_CONNECTED: 'NotConnected',
  EHR_CONFLICT: 'Conflict',
  EHR_RATE_LIMITED: 'RateLimited',
  EHR_UNAVAILABLE: 'Unavailable',
  // The platform's own credentials were refused: the tenant's setup is at fault, not the plugin.
  EHR_REFUSED: 'Unavailable',
  EHR_REJECTED: 'InvalidArgument',
};

/** The HostError for an EHR_* DomainError; any other value is returned as it is. */
export function hostErrorForEhr(error: unknown): unknown {
  if (!hasErrorCode(error)) return error;
  const code = HOST_CODE_FOR_EHR[error.code];
  return code ? new HostError(code, error.message, { cause: error }) : error;
}

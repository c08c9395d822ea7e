/**
 * Every error code the platform answers with, and its one-line title. Codes are domain facts:
 * stable UPPER_SNAKE strings that never change once shipped, so this table is the only place a
 * code can come from: `DomainError` takes an `ErrorCode`, and a code missing here does not
 * compile. shared/http/problem.ts maps each one to its HTTP status, and the compiler makes that map
 * complete. Grouped by family; the README's error lists follow the same grouping.
 */
export const ERROR_CODES = {
  // Requests the API could not read.
  VALIDATION_FAILED: { title: 'The request is not valid' },
  MALFORMED_JSON: { title: 'The body is not valid JSON' },
  INVALID_CURSOR: { title: 'The cursor is not valid for this list' },
  UNSUPPORTED_MEDIA_TYPE: { title: 'Unsupported media type' },
  PAYLOAD_TOO_LARGE: { title: 'The request is too large' },
  ROUTE_NOT_FOUND: { title: 'No such route' },
  METHOD_NOT_ALLOWED: { title: 'Method not allowed' },
  IDEMPOTENCY_KEY_REUSED: { title: 'The idempotency key was used for another request' },
  IDEMPOTENCY_REQUEST_IN_PROGRESS: { title: 'A request with this idempotency key is in progress' },

  // Who is asking.
  UNAUTHENTICATED: { title: 'Authentication required' },
  FORBIDDEN: { title: 'Not allowed' },

  // Plugin packages and their provenance.
  INVALID_MANIFEST: { title: 'The plugin manifest is not valid' },
  INVALID_ARTIFACT: { title: 'The plugin artifact is not valid' },
  ARTIFACT_TOO_LARGE: { title: 'The plugin artifact is too large' },
  VULNERABLE_DEPENDENCY: { title: 'The plugin has a vulnerable dependency' },
  SIGNATURE_REQUIRED: { title: 'A signature is required' },
  SIGNATURE_INVALID: { title: 'The signature does not verify' },
  UNTRUSTED_PUBLISHER_KEY: { title: 'The publisher key is not trusted' },
  ARTIFACT_TAMPERED: { title: 'The stored artifact was tampered with' },
  ARTIFACT_UNVERIFIED: { title: 'The plugin artifact failed verification' },

  // Tenant policy.
  PERMISSION_NOT_ALLOWED: { title: 'A permission is not allowed by the tenant policy' },
  POLICY_VIOLATION: { title: 'The tenant policy refuses this plugin' },
  PUBLISHER_NOT_VERIFIED: { title: "The tenant policy admits verified publishers' plugins only" },

  // Installation lifecycle.
  PLUGIN_NOT_FOUND: { title: 'No such plugin' },
  ALREADY_INSTALLED: { title: 'The plugin is already installed' },
  CONCURRENT_MODIFICATION: { title: 'The resource changed meanwhile' },
  PRECONDITION_FAILED: { title: 'The resource is not at the version given in If-Match' },
  PRECONDITION_REQUIRED: { title: 'This change needs an If-Match header' },
  ILLEGAL_TRANSITION: { title: 'The plugin cannot change state this way' },
  PLUGIN_NOT_ENABLED: { title: 'The plugin is not enabled' },
  VERSION_NOT_NEWER: { title: 'The version is already installed' },
  DOWNGRADE_REFUSED: { title: 'Downgrade refused' },

  // Marketplace releases, reviews and publisher keys.
  VERSION_NOT_FOUND: { title: 'No such version' },
  VERSION_EXISTS: { title: 'The version was published already' },
  VERSION_YANKED: { title: 'The version was yanked' },
  VERSION_REVOKED: { title: 'The version was revoked' },
  ILLEGAL_RELEASE_TRANSITION: { title: 'The release cannot change this way' },
  REVIEW_NOT_FOUND: { title: 'No such review' },
  REVIEWER_NOT_INSTALLER: { title: 'Only a tenant that installed the plugin may review it' },
  REVIEW_ALREADY_REPLIED: { title: 'The publisher has replied to this review already' },
  NOT_PLUGIN_OWNER: { title: 'The plugin belongs to another publisher' },
  UPLOAD_NOT_FOUND: { title: 'No such upload' },
  PUBLISHER_KEY_INVALID: { title: 'The publisher key is not valid' },
  PUBLISHER_KEY_EXISTS: { title: 'The publisher key is registered already' },
  PUBLISHER_KEY_REVOKED: { title: 'The publisher key was revoked' },
  PUBLISHER_KEY_NOT_FOUND: { title: 'No such publisher key' },
  KEY_POSSESSION_UNPROVEN: { title: 'Possession of the private key is not proven' },
  KEY_PROOF_EXPIRED: { title: 'The key possession proof expired' },
  PUBLISHER_PROOF_NOT_FOUND: { title: "The publisher's domain proof was not found" },
  PUBLISHER_DOMAIN_NOT_ALLOWED: { title: 'The domain resolves to an address the platform may not reach' },

  // The tenant's EHR (FHIR R4), as the plugin API and the connection routes reach it.
  APPOINTMENT_EXISTS: { title: 'The appointment exists already' },
  EHR_NOT_CONNECTED: { title: 'The tenant has no EHR connection' },
  EHR_CONNECTION_NOT_FOUND: { title: 'The tenant has registered no EHR connection' },
  EHR_CONFLICT: { title: 'The EHR record changed since it was read' },
  EHR_RATE_LIMITED: { title: 'The EHR is rate limiting the platform' },
  EHR_UNAVAILABLE: { title: 'The EHR could not be reached' },
  EHR_REFUSED: { title: "The EHR refused the platform's credentials" },
  EHR_REJECTED: { title: 'The EHR rejected the request' },

  // The tenant's webhooks.
  WEBHOOK_NOT_FOUND: { title: 'No such webhook' },
  WEBHOOK_LIMIT_REACHED: { title: 'The tenant has as many webhooks as it may have' },
  WEBHOOK_URL_NOT_ALLOWED: { title: 'The webhook URL is not one the platform may deliver to' },

  // Not now: the same request may succeed later.
  RATE_LIMITED: { title: 'Too many requests' },
  EXECUTION_UNAVAILABLE: { title: 'Plugin runs cannot be admitted right now' },
  AUDIT_UNAVAILABLE: { title: 'The audit trail cannot record this right now' },
  NOTIFICATIONS_UNAVAILABLE: { title: 'EHR notifications cannot be admitted right now' },
  REVIEW_WRITES_UNAVAILABLE: { title: 'Review writes cannot be admitted right now' },
  PUBLISHER_PROOF_UNREACHABLE: { title: "The publisher's domain could not be checked right now" },
} as const satisfies Record<Uppercase<string>, { readonly title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The code of anything that is not a DomainError (a bug, an AWS outage): a 500 whose detail never
 * echoes the original message. It is deliberately not an ErrorCode, so no DomainError can be a 500.
 */
export const UNEXPECTED_ERROR_CODE = 'INTERNAL_ERROR';
export type AnswerCode = ErrorCode | typeof UNEXPECTED_ERROR_CODE;

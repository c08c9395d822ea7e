import type { z } from 'zod';

/** The settings of a config that may reveal a local-platform setup; each schema has some of them. */
interface SettingsToCheck {
  readonly PLATFORM_MODE: 'aws' | 'local';
  readonly JWT_ISSUER?: string | undefined;
  readonly JWT_JWKS_URL?: string | undefined;
  readonly JWT_JWKS?: string | undefined;
  readonly LOCAL_SIGNING_KEY_FILE?: string | undefined;
  readonly LOCAL_CURSOR_KEY_FILE?: string | undefined;
  readonly LOCAL_AUDIT_DIGEST_KEY_FILE?: string | undefined;
  readonly AWS_ENDPOINT_URL_DYNAMODB?: string | undefined;
  readonly AWS_ENDPOINT_URL_S3?: string | undefined;
  /** The ehr-connection function's local exceptions: loopback EHR origins and a key directory. */
  readonly EHR_LOOPBACK_ORIGINS?: readonly string[] | undefined;
  readonly LOCAL_EHR_KEYS_DIRECTORY?: string | undefined;
  /** The marketplace's local exception: the well-known stand-in for publisher domain proofs. */
  readonly PUBLISHER_PROOF_LOOPBACK_ORIGIN?: string | undefined;
  /** The webhook functions' local exceptions: loopback receiver origins and a secret key file. */
  readonly WEBHOOK_LOOPBACK_ORIGINS?: readonly string[] | undefined;
  readonly LOCAL_WEBHOOK_SECRET_KEY_FILE?: string | undefined;
}

const LOOPBACK_HOSTS = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

function isOnThisMachine(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { hostname } = new URL(value);
  return LOOPBACK_HOSTS.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * Names reserved for documentation and testing (RFC 2606, RFC 6761): `cdk.json`'s
 * `auth.example.invalid` and the README's `id.example.org` are such placeholders, never a real
 * identity provider.
 */
const RESERVED_NAME = /(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$/i;

/** A URL whose host is a reserved documentation or test name: a placeholder for a real one. */
export const isPlaceholderUrl = (value: string): boolean =>
  URL.canParse(value) && RESERVED_NAME.test(new URL(value).hostname);

/** The local issuer is a `urn:`, a developer's own one often plain http on localhost. */
const isLocalOrPlaceholderUrl = (value: string): boolean =>
  !URL.canParse(value) ||
  new URL(value).protocol !== 'https:' ||
  isOnThisMachine(value) ||
  isPlaceholderUrl(value);

const STAND_IN_ENDPOINTS = ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_S3'] as const;

/**
 * A deployed function refuses the settings that only make sense on the local platform, naming each:
 * with any of them a deployment would trust keys shipped in its own environment, accept tokens of
 * the local issuer, sign with a key file instead of KMS, or talk to a stand-in. Locally, the
 * stand-ins' endpoints are required: without them the SDK would reach for AWS with fake
 * credentials. `superRefine` it onto a function's schema.
 */
export function checkSettingsForMode(config: SettingsToCheck, context: z.RefinementCtx): void {
  const refuse = (key: keyof SettingsToCheck, message: string) =>
    context.addIssue({ code: 'custom', path: [key], message: `${key} ${message}` });
  if (config.PLATFORM_MODE === 'local') {
    for (const key of STAND_IN_ENDPOINTS)
      if (config[key] === undefined) refuse(key, 'is required locally: the endpoint of its stand-in');
    return;
  }
  if (config.JWT_JWKS !== undefined)
    refuse(
      'JWT_JWKS',
      'is an inline JWKS for the local issuer; deployed functions fetch the identity provider’s keys from JWT_JWKS_URL',
    );
  if (config.JWT_ISSUER !== undefined && isLocalOrPlaceholderUrl(config.JWT_ISSUER))
    refuse(
      'JWT_ISSUER',
      'must be the identity provider’s https URL, not the local issuer or a placeholder (a reserved name such as *.example.invalid)',
    );
  if (config.JWT_JWKS_URL !== undefined && isLocalOrPlaceholderUrl(config.JWT_JWKS_URL))
    refuse(
      'JWT_JWKS_URL',
      'must be the identity provider’s https URL, not one on this machine or a placeholder',
    );
  for (const key of [
    'LOCAL_SIGNING_KEY_FILE',
    'LOCAL_CURSOR_KEY_FILE',
    'LOCAL_AUDIT_DIGEST_KEY_FILE',
    'LOCAL_WEBHOOK_SECRET_KEY_FILE',
  ] as const)
    if (config[key] !== undefined)
      refuse(
        key,
        'is a local key file; deployed functions use their KMS keys (SIGNING_KEY_ID, CURSOR_KEY_ID, AUDIT_DIGEST_KEY_ID, WEBHOOK_SECRET_KEY_ID)',
      );
  if (config.WEBHOOK_LOOPBACK_ORIGINS !== undefined && config.WEBHOOK_LOOPBACK_ORIGINS.length > 0)
    refuse(
      'WEBHOOK_LOOPBACK_ORIGINS',
      'lets webhooks deliver to receivers on this machine; a deployed platform delivers to public https endpoints only',
    );
  if (config.EHR_LOOPBACK_ORIGINS !== undefined && config.EHR_LOOPBACK_ORIGINS.length > 0)
    refuse(
      'EHR_LOOPBACK_ORIGINS',
      'lets a tenant connect to an EHR on this machine (the local FHIR stand-in); a deployed platform reaches only public https EHRs',
    );
  if (config.PUBLISHER_PROOF_LOOPBACK_ORIGIN !== undefined)
    refuse(
      'PUBLISHER_PROOF_LOOPBACK_ORIGIN',
      'fetches publisher domain proofs from this machine (the local stand-in); a deployed platform checks public domains only',
    );
  if (config.LOCAL_EHR_KEYS_DIRECTORY !== undefined)
    refuse(
      'LOCAL_EHR_KEYS_DIRECTORY',
      'keeps EHR signing keys in local files; deployed functions keep them in Secrets Manager',
    );
  for (const key of STAND_IN_ENDPOINTS) {
    const endpoint = config[key];
    if (endpoint !== undefined && isOnThisMachine(endpoint))
      refuse(key, 'points at a local stand-in; deployed functions use the AWS service endpoints');
  }
}

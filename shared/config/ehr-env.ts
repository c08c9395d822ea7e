import { z } from 'zod';

/** `http://127.0.0.1:4010, http://localhost:4011` → their origins; empty or unset → none. */
export const OriginListSchema = z
  .string()
  .optional()
  .transform((value, context) => {
    const items = (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const origins: string[] = [];
    for (const item of items) {
      if (!URL.canParse(item)) {
        context.addIssue({ code: 'custom', message: 'must be a comma-separated list of origins' });
        return z.NEVER;
      }
      origins.push(new URL(item).origin);
    }
    return origins.length > 0 ? origins : undefined;
  });

/**
 * How a function reaches the tenants' EHRs: where their signing keys are (Secrets Manager
 * deployed, a key directory locally) and, locally only, the FHIR stand-in's origin, the one
 * loopback http EHR a tenant may connect to. Shared by every function that signs a client
 * assertion: the connection routes, the notification route and the execution function.
 */
export const EHR_ENV_SHAPE = {
  /** Secret names are `<prefix>/ehr-signing/<tenantId>`; the IAM grants are scoped to the prefix. */
  EHR_SIGNING_SECRET_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9/_+=.@-]{1,100}$/)
    .default('gradiant-plugins'),
  /** Deployed: the KMS key the secrets are encrypted with (else Secrets Manager's own key). */
  EHR_SIGNING_KMS_KEY_ID: z.string().min(1).optional(),
  /** Local: where the key files go (`.data/keys/ehr`). */
  LOCAL_EHR_KEYS_DIRECTORY: z.string().min(1).optional(),
  /** Local only: EHR origins allowed although they are loopback and plain http (the FHIR stand-in). */
  EHR_LOOPBACK_ORIGINS: OriginListSchema,
};

export const hasLocalEhrKeys = (env: {
  PLATFORM_MODE: string;
  LOCAL_EHR_KEYS_DIRECTORY?: string | undefined;
}) => env.PLATFORM_MODE !== 'local' || env.LOCAL_EHR_KEYS_DIRECTORY !== undefined;

export const LOCAL_EHR_KEYS_MESSAGE = {
  message: 'LOCAL_EHR_KEYS_DIRECTORY is required locally: where the EHR signing key files go',
  path: ['LOCAL_EHR_KEYS_DIRECTORY'],
};

import { z } from 'zod';
import { AdaptersEnvSchema } from '../../shared/config/adapters-env.ts';
import { LOGGING_ENV_SHAPE } from '../../shared/config/logging-env.ts';
import { checkSettingsForMode } from '../../shared/config/mode-settings.ts';
import { parseEnv } from '../../shared/config/parse-env.ts';

/** The digest run reads chain heads (audit table) and records (compliance bucket), and signs. */
export const AuditDigestConfigSchema = AdaptersEnvSchema.pick({
  PLATFORM_MODE: true,
  AUDIT_TABLE: true,
  COMPLIANCE_LOG_BUCKET: true,
  S3_FORCE_PATH_STYLE: true,
  AWS_ENDPOINT_URL_DYNAMODB: true,
  AWS_ENDPOINT_URL_S3: true,
})
  .extend({
    /** Deployed: the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs digests, and only digests. */
    AUDIT_DIGEST_KEY_ID: z.string().min(1).optional(),
    /** Local: the P-256 key file that stands in for it (created by the local platform). */
    LOCAL_AUDIT_DIGEST_KEY_FILE: z.string().min(1).optional(),
    ...LOGGING_ENV_SHAPE,
  })
  .refine(
    (env) =>
      env.PLATFORM_MODE === 'local'
        ? env.LOCAL_AUDIT_DIGEST_KEY_FILE !== undefined
        : env.AUDIT_DIGEST_KEY_ID !== undefined,
    {
      message: 'set AUDIT_DIGEST_KEY_ID (deployed) or LOCAL_AUDIT_DIGEST_KEY_FILE (local platform)',
      path: ['AUDIT_DIGEST_KEY_ID'],
    },
  )
  .superRefine(checkSettingsForMode);
export type AuditDigestConfig = z.infer<typeof AuditDigestConfigSchema>;

export const loadAuditDigestConfig = (env: Record<string, string | undefined>): AuditDigestConfig =>
  parseEnv(AuditDigestConfigSchema, env);

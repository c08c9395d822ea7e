import { z } from 'zod';

/** Keys for the adapters every function shares: which implementation each port gets, and where. */
export const ADAPTERS_ENV_SHAPE = {
  PLATFORM_MODE: z.enum(['aws', 'local']).default('aws'),
  PLUGINS_TABLE: z.string().min(3),
  MARKETPLACE_TABLE: z.string().min(3),
  /** The transactional outbox, the audit query index and the audit chain heads. */
  AUDIT_TABLE: z.string().min(3),
  ARTIFACT_BUCKET: z.string().min(3),
  COMPLIANCE_LOG_BUCKET: z.string().min(3),
  /** Deployed: the EventBridge bus. Locally the in-process bus stands in. */
  EVENT_BUS_NAME: z.string().min(1).default('gradiant-plugins'),
  /** Deployed: the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs releases. */
  SIGNING_KEY_ID: z.string().min(1).optional(),
  /** Local: the P-256 key file that stands in for the KMS key. */
  LOCAL_SIGNING_KEY_FILE: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Local: DynamoDB Local's and s3rver's endpoints, under the SDK's standard names so that a shell
   * that exports them configures both. Passed to the clients explicitly, so the local platform never
   * has to put them into the process environment.
   */
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
};

export const AdaptersEnvSchema = z.object(ADAPTERS_ENV_SHAPE);
export type AdaptersEnv = z.infer<typeof AdaptersEnvSchema>;

export const hasSigningKey = (env: AdaptersEnv): boolean =>
  env.PLATFORM_MODE === 'local' ? env.LOCAL_SIGNING_KEY_FILE !== undefined : env.SIGNING_KEY_ID !== undefined;
export const SIGNING_KEY_MESSAGE = {
  message: 'set SIGNING_KEY_ID (deployed) or LOCAL_SIGNING_KEY_FILE (local platform)',
  path: ['SIGNING_KEY_ID'],
};

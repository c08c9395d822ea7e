import { z } from 'zod';
import { ADAPTERS_ENV_SHAPE } from './adapters-env.ts';

/** Keys of the functions that issue pagination cursors; they refuse to start without a key. */
export const CURSOR_ENV_SHAPE = {
  /** Deployed: the KMS HMAC_256 key the cursor key is derived from. */
  CURSOR_KEY_ID: z.string().min(1).optional(),
  /** Local: the file with the platform's 32-byte cursor key (created on first start). */
  LOCAL_CURSOR_KEY_FILE: z.string().min(1).optional(),
};

const CursorEnvSchema = z.object({ PLATFORM_MODE: ADAPTERS_ENV_SHAPE.PLATFORM_MODE, ...CURSOR_ENV_SHAPE });
export type CursorEnv = z.infer<typeof CursorEnvSchema>;

export const hasCursorKey = (env: CursorEnv): boolean =>
  env.PLATFORM_MODE === 'local' ? env.LOCAL_CURSOR_KEY_FILE !== undefined : env.CURSOR_KEY_ID !== undefined;
export const CURSOR_KEY_MESSAGE = {
  message: 'set CURSOR_KEY_ID (deployed) or LOCAL_CURSOR_KEY_FILE (local platform)',
  path: ['CURSOR_KEY_ID'],
};

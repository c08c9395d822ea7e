import { KMSClient } from '@aws-sdk/client-kms';
import { KmsCursorKey } from '../adapters/aws/kms-cursor-key.ts';
import { LocalCursorKey } from '../adapters/local/local-cursor-key.ts';
import type { CursorEnv } from '../config/cursor-env.ts';
import { CursorCodec } from '../http/cursor-codec.ts';

/**
 * The cursor codec of a function that issues cursors, once per cold start. Fails closed: without
 * a key the function does not start (the config refuses it first; this refuses it again), and in
 * AWS the key is derived right away so the first list request does not wait for KMS.
 */
export function createCursorCodec(env: CursorEnv, options: { kms?: KMSClient } = {}): CursorCodec {
  if (env.PLATFORM_MODE === 'local') {
    if (!env.LOCAL_CURSOR_KEY_FILE) throw new Error('LOCAL_CURSOR_KEY_FILE is required to issue cursors');
    return new CursorCodec(LocalCursorKey.fromFile(env.LOCAL_CURSOR_KEY_FILE));
  }
  if (!env.CURSOR_KEY_ID) throw new Error('CURSOR_KEY_ID is required to issue cursors');
  const keys = new KmsCursorKey(options.kms ?? new KMSClient({}), env.CURSOR_KEY_ID);
  keys.key().catch(() => undefined);
  return new CursorCodec(keys);
}

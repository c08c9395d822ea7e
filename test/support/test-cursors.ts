import { randomBytes } from 'node:crypto';
import { CursorCodec } from '../../shared/http/cursor-codec.ts';

/** A cursor codec with a fresh random key, as a function instance gets one at cold start. */
export function testCursorCodec(key: Uint8Array = randomBytes(32)): CursorCodec {
  return new CursorCodec({ key: async () => key });
}

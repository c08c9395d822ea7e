import type { CursorKeySource } from '../../ports/cursor-key.ts';
import { readOrCreateKeyFile } from './local-key-file.ts';

const KEY_BYTES = 32;

/**
 * The local stand-in for the KMS-derived cursor key: 32 random bytes in a file under `.data/keys`,
 * created on first start (owner-only) and kept, so cursors survive a restart like the data does.
 */
export class LocalCursorKey implements CursorKeySource {
  private readonly bytes: Uint8Array;

  private constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  static fromFile(path: string): LocalCursorKey {
    return new LocalCursorKey(readOrCreateKeyFile(path, KEY_BYTES, 'cursor key'));
  }

  async key(): Promise<Uint8Array> {
    return this.bytes;
  }
}

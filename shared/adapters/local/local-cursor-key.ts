import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CursorKeySource } from '../../ports/cursor-key.ts';

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
    mkdirSync(dirname(path), { recursive: true });
    try {
      // `wx`: never overwrite a key another handler in the same data directory created first.
      writeFileSync(path, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const bytes = readFileSync(path);
    if (bytes.byteLength < KEY_BYTES)
      throw new Error(`The cursor key file ${path} holds fewer than ${KEY_BYTES} bytes`);
    return new LocalCursorKey(new Uint8Array(bytes));
  }

  async key(): Promise<Uint8Array> {
    return this.bytes;
  }
}

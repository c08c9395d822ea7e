import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCursorKey } from '../../../../../shared/adapters/local/local-cursor-key.ts';

const keyFile = () => join(mkdtempSync(join(tmpdir(), 'cursor-key-')), 'keys', 'cursor-key.bin');

describe('LocalCursorKey', () => {
  it('creates a random 32-byte key readable by its owner only, and keeps it across restarts', async () => {
    const path = keyFile();

    const first = await LocalCursorKey.fromFile(path).key();
    const again = await LocalCursorKey.fromFile(path).key();
    const other = await LocalCursorKey.fromFile(keyFile()).key();

    expect(first.byteLength).toBe(32);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(other).equals(Buffer.from(first))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses a key file that holds too few bytes', () => {
    const path = keyFile();
    LocalCursorKey.fromFile(path);
    writeFileSync(path, 'short');

    expect(() => LocalCursorKey.fromFile(path)).toThrow(/fewer than 32 bytes/);
  });
});

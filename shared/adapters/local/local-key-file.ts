import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The local stand-in for a KMS key: `bytes` random bytes in a file under `.data/keys`, created on
 * first start (owner-only) and kept, so what was sealed or MACed survives a restart like the data.
 */
export function readOrCreateKeyFile(path: string, bytes: number, what: string): Uint8Array {
  mkdirSync(dirname(path), { recursive: true });
  try {
    // `wx`: never overwrite a key another handler in the same data directory created first.
    writeFileSync(path, randomBytes(bytes), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = readFileSync(path);
  if (key.byteLength < bytes) throw new Error(`The ${what} file ${path} holds fewer than ${bytes} bytes`);
  return new Uint8Array(key);
}

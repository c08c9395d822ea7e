import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's name, version and root directory, from the package.json above this file (repo or node_modules). */
export function packageInfo(): { name: string; version: string; directory: string } {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'gradiant-plugins' && typeof parsed.version === 'string') {
        return { name: parsed.name, version: parsed.version, directory };
      }
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error('the gradiant-plugins package.json is missing');
    directory = parent;
  }
}

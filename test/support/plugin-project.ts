import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const VALID_MANIFEST = {
  id: 'greeter',
  version: '1.2.0',
  metadata: {
    name: 'Greeter',
    description: 'Greets patients.',
    author: 'Acme Labs',
    permissions: ['read:patients'],
  },
};

/** A plugin project in a temp folder: `files` by relative path, objects written as JSON. */
export function pluginProject(files: Record<string, string | object>): string {
  const root = mkdtempSync(join(tmpdir(), 'gradiant-project-'));
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

/** An installed npm package, as esbuild resolves it from node_modules. */
export function npmPackage(name: string, version: string, source: string): Record<string, string | object> {
  return {
    [`node_modules/${name}/package.json`]: { name, version, type: 'module', main: 'index.js' },
    [`node_modules/${name}/index.js`]: source,
  };
}

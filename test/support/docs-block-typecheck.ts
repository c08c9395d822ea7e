import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Type-checks documented TypeScript blocks with the repository's compiler settings, as modules
 * importing `gradiant-plugins/client`, `/plugin`, `/sandbox` and `/testing` (mapped to their sources) and the repository's
 * dependencies. They are written under `.data/` (ignored by git, lint and the project's own type
 * check) so that the dependencies resolve from the repository's node_modules. Answers tsc's output
 * and exit code.
 */
export async function typeCheckBlocks(blocks: readonly { name: string; code: string }[]) {
  mkdirSync(join(REPOSITORY, '.data'), { recursive: true });
  const directory = mkdtempSync(join(REPOSITORY, '.data', 'docs-blocks-'));
  try {
    for (const block of blocks) writeFileSync(join(directory, `${block.name}.ts`), block.code);
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(
      join(directory, 'tsconfig.json'),
      JSON.stringify({
        extends: join(REPOSITORY, 'tsconfig.json'),
        compilerOptions: {
          paths: {
            'gradiant-plugins/client': [join(REPOSITORY, 'shared/client/index.ts')],
            'gradiant-plugins/plugin': [join(REPOSITORY, 'shared/plugin/index.ts')],
            'gradiant-plugins/sandbox': [join(REPOSITORY, 'shared/sandbox/index.ts')],
            'gradiant-plugins/testing': [join(REPOSITORY, 'apps/cli/testing.ts')],
          },
        },
        include: ['*.ts'],
        exclude: [],
      }),
    );
    const tsc = join(REPOSITORY, 'node_modules', '.bin', 'tsc');
    return await new Promise<{ exitCode: number | null; output: string }>((resolve, reject) => {
      const child = spawn(tsc, ['-p', join(directory, 'tsconfig.json'), '--noEmit'], { cwd: directory });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ exitCode, output }));
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

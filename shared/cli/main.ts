import { spawnSync } from 'node:child_process';
import { runCli } from './cli.ts';

/**
 * isolated-vm's README requires `--no-node-snapshot` on Node >= 20 and a bin's shebang cannot
 * pass flags portably, so the commands that run plugins re-execute Node with the flag once.
 */
function needsSnapshotFlag(argv: readonly string[]): boolean {
  if (argv[0] !== 'run') return false;
  if (process.execArgv.includes('--no-node-snapshot')) return false;
  return !(process.env.NODE_OPTIONS ?? '').includes('--no-node-snapshot');
}

const argv = process.argv.slice(2);
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 24) {
  process.stderr.write(`error: gradiant-plugins needs Node.js 24 or newer; this is ${process.version}\n`);
  process.exitCode = 1;
} else if (needsSnapshotFlag(argv) && process.argv[1]) {
  const child = spawnSync(
    process.execPath,
    ['--no-node-snapshot', ...process.execArgv, process.argv[1], ...argv],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = child.status ?? 1;
} else {
  process.exitCode = await runCli(argv, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    fetch: globalThis.fetch,
  });
}

import { runCli } from './cli.ts';

// The CLI itself never loads isolated-vm: plugins run in the sandbox's worker process, which is
// started with --no-node-snapshot, so the bin needs no Node flags of its own.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isStderrTerminal: process.stderr.isTTY === true,
  fetch: globalThis.fetch,
});

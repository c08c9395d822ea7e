import { basename, extname } from 'node:path';
import { EntrySchema, GrantSchema, type RunResult } from '../../../shared/sandbox/schemas.ts';
import { SupervisedSandbox } from '../../../shared/sandbox/supervised/supervised-sandbox.ts';
import { createFixtureHost, defaultTenantOf, type Fixtures, FixturesSchema } from '../fixture-host.ts';
import { collect, inputOf, parseJson, readText, text } from './command-input.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK, type ParsedCommand, UsageError } from './publish-cli-types.ts';

interface RunArguments {
  code: string;
  pluginId: string;
  entry: 'execute' | 'onEvent';
  input: unknown;
  grants: string[];
  tenantId: string;
  fixtures: Fixtures | undefined;
  limits: { timeoutMs?: number; memoryMb?: number };
  isJson: boolean;
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive integer`);
  return Number(value);
}

function parseRunArguments({ args, options }: ParsedCommand): RunArguments {
  const file = String(args[0]);
  const input = inputOf(options, null);
  const entry = EntrySchema.safeParse(options.entry ?? 'execute');
  if (!entry.success) throw new UsageError('--entry must be execute or onEvent');
  const grants = (options.grant as string[] | undefined) ?? [];
  for (const grant of grants) {
    if (!GrantSchema.safeParse(grant).success) throw new UsageError(`unknown permission ${grant}`);
  }
  const fixturesFile = text(options, 'fixtures');
  let fixtures: Fixtures | undefined;
  if (fixturesFile !== undefined) {
    const raw = parseJson(readText(fixturesFile, 'fixtures file'), `fixtures file ${fixturesFile}`);
    const checked = FixturesSchema.safeParse(raw);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new UsageError(
        `fixtures file ${fixturesFile}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
      );
    }
    fixtures = checked.data;
  }
  const limits: RunArguments['limits'] = {};
  const timeoutMs = positiveInteger(text(options, 'timeoutMs'), '--timeout-ms');
  const memoryMb = positiveInteger(text(options, 'memoryMb'), '--memory-mb');
  if (timeoutMs !== undefined) limits.timeoutMs = timeoutMs;
  if (memoryMb !== undefined) {
    if (memoryMb < 8) throw new UsageError('--memory-mb must be at least 8');
    limits.memoryMb = memoryMb;
  }
  return {
    code: readText(file, 'plugin file'),
    pluginId: pluginIdOf(file),
    entry: entry.data,
    input,
    grants,
    tenantId: text(options, 'tenant') ?? defaultTenantOf(fixtures),
    fixtures,
    limits,
    isJson: options.json === true,
  };
}

/** The file name stands in for the plugin id, so emitted events are namespaced as on the platform. */
function pluginIdOf(file: string): string {
  const name = basename(file, extname(file))
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return name.slice(0, 64) || 'local';
}

function summarize(result: RunResult): string {
  const { usage } = result;
  const lines = [
    result.ok ? 'ok' : `failed: ${result.error.code}: ${result.error.message}`,
    `usage: ${usage.wallMs} ms wall, ${usage.cpuMs} ms CPU, ${usage.dataCalls} data calls, ` +
      `${usage.networkCalls} network calls, heap ${usage.peakHeapBytes} bytes`,
  ];
  if (result.ok) lines.push(`value: ${JSON.stringify(result.value, null, 2)}`);
  for (const log of result.logs) {
    lines.push(
      `[${log.level}] ${log.message}${log.meta === undefined ? '' : ` ${JSON.stringify(log.meta)}`}`,
    );
  }
  for (const event of result.events) lines.push(`event ${event.name} ${JSON.stringify(event.data)}`);
  return `${lines.join('\n')}\n`;
}

/** Runs a plugin file locally against fixture data, in this process, with the platform's sandbox. */
export const runCommand = defineCommand({
  name: 'run',
  summary: 'run a plugin file locally in the sandbox against fixture data',
  configure: (command) =>
    command
      .argument('<plugin-file>', 'the plugin module (the output of build, or any single-file ES module)')
      .option('--entry <entry>', "the default export's function to call: execute or onEvent", 'execute')
      .option('--input <json>', 'the input, as JSON (default null)')
      .option('--input-file <file>', 'read the input from a JSON file')
      .option('--grant <permission>', 'grant a permission, as an install would (repeatable)', collect)
      .option('--tenant <id>', 'the fixtures tenant to run as (default: the only one, else t-local)')
      .option(
        '--fixtures <file>',
        'the fixtures file: patients and appointments per tenant (see docs/plugin-author-guide.md)',
      )
      .option('--timeout-ms <n>', "the run's time limit")
      .option('--memory-mb <n>', "the run's heap limit (at least 8)")
      .option('--json', 'print the run result as one JSON object'),
  async action(parsed, io) {
    const args = parseRunArguments(parsed);
    const sandbox = new SupervisedSandbox();
    try {
      const result = await sandbox.run({
        code: args.code,
        entry: args.entry,
        input: args.input,
        grants: args.grants,
        tenantId: args.tenantId,
        pluginId: args.pluginId,
        limits: args.limits,
        host: createFixtureHost(args.fixtures, args.tenantId),
      });
      io.stdout(args.isJson ? `${JSON.stringify(result)}\n` : summarize(result));
      return result.ok ? EXIT_OK : EXIT_FAILED;
    } finally {
      await sandbox.dispose();
    }
  },
});

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { EntrySchema, GrantSchema, type RunResult } from '../../../shared/sandbox/schemas.ts';
import { SupervisedSandbox } from '../../../shared/sandbox/supervised/supervised-sandbox.ts';
import { createFixtureHost, defaultTenantOf, type Fixtures, FixturesSchema } from '../fixture-host.ts';
import {
  type CliCommand,
  type CommandIo,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
} from './publish-cli-types.ts';

const USAGE =
  'run <plugin-file> [--entry execute|onEvent] [--input JSON | --input-file F] [--grant PERM]... ' +
  '[--tenant ID] [--fixtures F] [--timeout-ms N] [--memory-mb N] [--json]';

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

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${path}`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} is not valid JSON`);
  }
}

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a positive integer`);
  return Number(value);
}

function parseRunArguments(argv: readonly string[]): RunArguments {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [file, ...extra] = positionals;
  if (!file) throw new UsageError('missing <plugin-file>');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  if (values.input !== undefined && values['input-file'] !== undefined) {
    throw new UsageError('pass either --input or --input-file, not both');
  }
  const entry = EntrySchema.safeParse(values.entry ?? 'execute');
  if (!entry.success) throw new UsageError('--entry must be execute or onEvent');
  const grants = values.grant ?? [];
  for (const grant of grants) {
    if (!GrantSchema.safeParse(grant).success) throw new UsageError(`unknown permission ${grant}`);
  }
  let input: unknown = null;
  if (values.input !== undefined) input = parseJson(values.input, '--input');
  if (values['input-file'] !== undefined) {
    input = parseJson(readText(values['input-file'], 'input file'), `input file ${values['input-file']}`);
  }
  let fixtures: Fixtures | undefined;
  if (values.fixtures !== undefined) {
    const raw = parseJson(readText(values.fixtures, 'fixtures file'), `fixtures file ${values.fixtures}`);
    const checked = FixturesSchema.safeParse(raw);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new UsageError(
        `fixtures file ${values.fixtures}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
      );
    }
    fixtures = checked.data;
  }
  const limits: RunArguments['limits'] = {};
  const timeoutMs = positiveInteger(values['timeout-ms'], '--timeout-ms');
  const memoryMb = positiveInteger(values['memory-mb'], '--memory-mb');
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
    tenantId: values.tenant ?? defaultTenantOf(fixtures),
    fixtures,
    limits,
    isJson: values.json ?? false,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      entry: { type: 'string' },
      input: { type: 'string' },
      'input-file': { type: 'string' },
      grant: { type: 'string', multiple: true },
      tenant: { type: 'string' },
      fixtures: { type: 'string' },
      'timeout-ms': { type: 'string' },
      'memory-mb': { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
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
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a plugin file locally in the sandbox against fixture data',
  usage: USAGE,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    let args: RunArguments;
    try {
      args = parseRunArguments(argv);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.stderr(`error: ${error.message}\nusage: gradiant-plugins ${USAGE}\n`);
      return EXIT_USAGE;
    }
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
};

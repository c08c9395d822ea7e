import type { Command } from 'commander';
import {
  GradiantApiError,
  GradiantNetworkError,
  PluginMarketplaceService,
  PluginPublisherService,
  PluginService,
} from '../../../shared/client/index.ts';
import { endpointOf } from '../../../shared/client/request-url.ts';
import {
  type CommandIo,
  EXIT_FAILED,
  EXIT_UNREACHABLE,
  type ParsedCommand,
  UsageError,
} from '../commands/publish-cli-types.ts';
import {
  type CliConfig,
  configPathOf,
  DEFAULT_PROFILE,
  type Profile,
  readCliConfig,
  type TokenSourceConfig,
} from './cli-config.ts';
import { resolveToken } from './resolve-token.ts';

export const DEFAULT_ENDPOINT = 'http://localhost:3000';

/** The SDK's services for one command, with the endpoint and token the precedence rules chose. */
export interface PlatformSession {
  readonly endpoint: string;
  /** The token, fetched once per command (a token command runs at most once). */
  readonly token: () => Promise<string>;
  readonly plugins: PluginService;
  readonly marketplace: PluginMarketplaceService;
  readonly publisher: PluginPublisherService;
  readonly isJson: boolean;
}

/** The options every command that calls the platform shares. */
export function withPlatformOptions(command: Command): Command {
  return command
    .option(
      '--endpoint <url>',
      `the platform's API (default: GRADIANT_ENDPOINT, else the profile's, else ${DEFAULT_ENDPOINT})`,
    )
    .option(
      '--profile <name>',
      `the saved profile to use (default: GRADIANT_PROFILE, else "${DEFAULT_PROFILE}")`,
    )
    .option('--json', 'print the result as one JSON object');
}

const optionOf = (options: ParsedCommand['options'], name: string) =>
  typeof options[name] === 'string' ? (options[name] as string) : undefined;

/** The config file's path and its profiles; no path when the environment names no home folder. */
export function configOf(env: CommandIo['env']): {
  readonly config: CliConfig;
  readonly path: string | undefined;
} {
  let path: string;
  try {
    path = configPathOf(env);
  } catch {
    // No home folder (a CI job, a container): flags and env still work when no profile is named.
    return { config: { profiles: {} }, path: undefined };
  }
  try {
    return { config: readCliConfig(path), path };
  } catch (error) {
    // A config file that cannot be used is the user's to fix, as a bad flag is: exit 2, say which.
    throw new UsageError((error as Error).message);
  }
}

/**
 * The profile a command uses: `--profile`, else GRADIANT_PROFILE, else "default". A profile named
 * on purpose must exist; the implicit default may be absent (flags and env then say everything).
 */
export function selectProfile(options: ParsedCommand['options'], io: CommandIo): Profile | undefined {
  const named = optionOf(options, 'profile') ?? (io.env.GRADIANT_PROFILE || undefined);
  const name = named ?? DEFAULT_PROFILE;
  const { config, path } = configOf(io.env);
  const profile = config.profiles[name];
  if (named !== undefined && profile === undefined)
    throw new UsageError(
      `no profile "${name}" in ${path ?? 'the config file'} (save one with: gradiant-plugins login --profile ${name})`,
    );
  return profile;
}

/** A checked endpoint, or a usage error saying what is wrong with it. */
export function checkedEndpoint(value: string): string {
  try {
    return endpointOf(value);
  } catch (error) {
    throw new UsageError(`--endpoint ${value}: ${(error as Error).message}`);
  }
}

/** Every line of a refusal: status, problem code, endpoint, detail, then each field. */
export function describeFailure(error: unknown, endpoint: string): { text: string; exitCode: number } {
  if (error instanceof GradiantApiError) {
    const fields = error.errors.map((issue) => `\n  ${issue.field}: ${issue.message}`).join('');
    const detail = error.detail ? `: ${error.detail}` : '';
    return {
      text: `${error.status} ${error.code} from ${endpoint}${detail}${fields}`,
      exitCode: EXIT_FAILED,
    };
  }
  if (error instanceof GradiantNetworkError) {
    // undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is its cause.
    const cause = error.cause as
      | { message?: string; cause?: { code?: string; message?: string } }
      | undefined;
    const reason = cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? 'no answer';
    return { text: `could not reach ${endpoint} (${reason})`, exitCode: EXIT_UNREACHABLE };
  }
  return { text: `${endpoint}: ${(error as Error).message}`, exitCode: EXIT_FAILED };
}

/** Where a command's calls go and where its token comes from. */
export interface Connection {
  readonly endpoint: string;
  readonly source: TokenSourceConfig;
}

/**
 * Endpoint: `--endpoint` > GRADIANT_ENDPOINT > the profile's > the default. Token: GRADIANT_TOKEN
 * > the profile's token source (a token is never a flag: it would show in `ps` and shell history).
 */
export function resolveConnection(options: ParsedCommand['options'], io: CommandIo): Connection {
  const profile = selectProfile(options, io);
  const endpoint = checkedEndpoint(
    optionOf(options, 'endpoint') ??
      (io.env.GRADIANT_ENDPOINT || undefined) ??
      profile?.endpoint ??
      DEFAULT_ENDPOINT,
  );
  const source = io.env.GRADIANT_TOKEN ? { env: 'GRADIANT_TOKEN' } : profile?.token;
  if (source === undefined)
    throw new UsageError('no token: set GRADIANT_TOKEN or save a profile with gradiant-plugins login');
  return { endpoint, source };
}

/**
 * The frame of every platform command: the SDK's services over `connection`. Usage errors exit 2
 * (thrown to the program), a refusal or failure 1, an unreachable platform 3, each with one
 * `error:` line naming the endpoint (and the server's problem code).
 */
export async function runWithConnection(
  io: CommandIo,
  connection: Connection,
  options: ParsedCommand['options'],
  work: (session: PlatformSession) => Promise<number>,
): Promise<number> {
  const { endpoint, source } = connection;
  let pending: Promise<string> | undefined;
  const token = () => {
    pending ??= resolveToken(source, io.env, io.cwd);
    return pending;
  };
  const client = { endpoint, token, fetch: io.fetch, userAgent: 'gradiant-plugins-cli' };
  const session: PlatformSession = {
    endpoint,
    token,
    plugins: new PluginService(client),
    marketplace: new PluginMarketplaceService(client),
    publisher: new PluginPublisherService(client),
    isJson: options.json === true,
  };
  try {
    return await work(session);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const failure = describeFailure(error, endpoint);
    io.stderr(`error: ${failure.text}\n`);
    return failure.exitCode;
  }
}

/** A platform command with the connection the precedence rules choose. */
export function runPlatformCommand(
  io: CommandIo,
  options: ParsedCommand['options'],
  work: (session: PlatformSession) => Promise<number>,
): Promise<number> {
  return runWithConnection(io, resolveConnection(options, io), options, work);
}

/** One JSON object with `--json`, else the human summary. */
export function printResult(
  io: CommandIo,
  session: PlatformSession,
  result: unknown,
  summary: () => string,
): void {
  io.stdout(session.isJson ? `${JSON.stringify(result)}\n` : `${summary()}\n`);
}

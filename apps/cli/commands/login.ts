import { ENVIRONMENT_VARIABLE_NAME, PROFILE_NAME, writeCliConfig } from '../platform/cli-config.ts';
import {
  checkedEndpoint,
  configOf,
  DEFAULT_ENDPOINT,
  printResult,
  runWithConnection,
} from '../platform/platform-session.ts';
import { text } from './command-input.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK, UsageError } from './publish-cli-types.ts';

/** Cheap, authenticated and open to every scope: a token that passes it is a token the API accepts. */
const CHECK_ROUTE = 'GET /v1/marketplace/plugins?limit=1';

/**
 * Saves a profile (endpoint + where the token comes from) after checking it against the API.
 * The token itself is never written: only the name of the variable or the command that prints it.
 */
export const loginCommand = defineCommand({
  name: 'login',
  summary: 'save a profile (endpoint and token source, never a token) after checking it',
  configure: (command) =>
    command
      .option(
        '--endpoint <url>',
        `the platform's API (default: GRADIANT_ENDPOINT, the profile's, else ${DEFAULT_ENDPOINT})`,
      )
      .option('--profile <name>', 'the profile to save (default: GRADIANT_PROFILE, else "default")')
      .option('--token-command <command>', 'a shell command that prints a token (or an OAuth token response)')
      .option(
        '--token-env <variable>',
        'an environment variable that holds the token (default GRADIANT_TOKEN)',
      )
      .option('--json', 'print the saved profile as one JSON object'),
  async action({ options }, io) {
    const command = text(options, 'tokenCommand');
    const variable = text(options, 'tokenEnv');
    if (command !== undefined && variable !== undefined)
      throw new UsageError('pass either --token-command or --token-env, not both');
    const profileName = text(options, 'profile') ?? (io.env.GRADIANT_PROFILE || 'default');
    if (!PROFILE_NAME.test(profileName))
      throw new UsageError('--profile must be letters, digits, ".", "_" or "-" (at most 64)');
    const { config, path } = configOf(io.env);
    if (path === undefined)
      throw new UsageError('neither XDG_CONFIG_HOME nor HOME is set, so there is no config folder');
    const existing = config.profiles[profileName];
    const endpoint = checkedEndpoint(
      text(options, 'endpoint') ??
        (io.env.GRADIANT_ENDPOINT || undefined) ??
        existing?.endpoint ??
        DEFAULT_ENDPOINT,
    );
    const source =
      command !== undefined
        ? { command }
        : variable !== undefined
          ? { env: variable }
          : (existing?.token ?? { env: 'GRADIANT_TOKEN' });
    if ('env' in source && !ENVIRONMENT_VARIABLE_NAME.test(source.env))
      throw new UsageError(`--token-env ${source.env} is not an environment variable name`);
    return runWithConnection(io, { endpoint, source }, options, async (session) => {
      await session.marketplace.searchPlugins({ limit: 1 });
      const profile = { endpoint, token: source };
      writeCliConfig(path, { profiles: { ...config.profiles, [profileName]: profile } });
      const saved = { profile: profileName, ...profile, configFile: path, checkedWith: CHECK_ROUTE };
      printResult(
        io,
        session,
        saved,
        () =>
          `saved profile "${profileName}" in ${path}: ${endpoint}, token from ${
            'env' in source ? `$${source.env}` : 'the token command'
          } (checked with ${CHECK_ROUTE})`,
      );
      return EXIT_OK;
    });
  },
});

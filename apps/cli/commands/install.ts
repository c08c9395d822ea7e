import { pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { installationLine } from '../platform/summaries.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';

/** `downloadAndInstall(id, version)`: the platform fetches, verifies and installs the release. */
export const installCommand = defineCommand({
  name: 'install',
  summary: "install a plugin from the marketplace into the token's tenant (scope plugins:admin)",
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('<id>', 'the plugin id')
        .option('--version <version>', 'the release to install (default: the latest offered)'),
    ),
  async action({ args, options }, io) {
    const id = pluginIdOf(args[0]);
    return runPlatformCommand(io, options, async (session) => {
      const version =
        typeof options.version === 'string'
          ? options.version
          : (await session.marketplace.getPlugin(id)).latestVersion;
      if (version === undefined) {
        io.stderr(`error: ${id} has no installable version on ${session.endpoint} (all yanked or revoked)\n`);
        return EXIT_FAILED;
      }
      const installation = await session.marketplace.downloadAndInstall(id, version);
      printResult(io, session, installation, () => installationLine(installation));
      return EXIT_OK;
    });
  },
});

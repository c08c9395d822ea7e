import { pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { installationLine } from '../platform/summaries.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK } from './publish-cli-types.ts';

/** Moves an installation to another marketplace release; without `--version`, to the newest offered. */
export const updateCommand = defineCommand({
  name: 'update',
  summary: 'update an installed plugin to a marketplace release (scope plugins:admin)',
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('<id>', 'the plugin id')
        .option('--version <version>', 'the release to move to (default: the newest, from checkUpdates)'),
    ),
  async action({ args, options }, io) {
    const id = pluginIdOf(args[0]);
    return runPlatformCommand(io, options, async (session) => {
      let version = typeof options.version === 'string' ? options.version : undefined;
      if (version === undefined) {
        // An advisory alone lists the installed version as the latest: nothing newer to move to.
        const available = (await session.marketplace.checkUpdates()).find(
          (update) => update.pluginId === id && update.latestVersion !== update.installedVersion,
        );
        if (available === undefined) {
          const installation = await session.plugins.getPlugin(id);
          printResult(
            io,
            session,
            { pluginId: id, upToDate: true, installation },
            () => `${id} ${installation.version}: up to date`,
          );
          return EXIT_OK;
        }
        version = available.latestVersion;
      }
      const installation = await session.plugins.updatePlugin(id, { version });
      printResult(io, session, installation, () => installationLine(installation));
      return EXIT_OK;
    });
  },
});

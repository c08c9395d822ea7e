import { grantsOf, pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { installationLine } from '../platform/summaries.ts';
import { collect } from './command-input.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK } from './publish-cli-types.ts';

export const enableCommand = defineCommand({
  name: 'enable',
  summary: 'enable an installed plugin, granting its permissions (scope plugins:admin)',
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('<id>', 'the plugin id')
        .option(
          '--grant <permission>',
          'grant only this permission (repeatable; default: every one the plugin asks for)',
          collect,
        ),
    ),
  async action({ args, options }, io) {
    const id = pluginIdOf(args[0]);
    const grants = grantsOf(options.grant);
    return runPlatformCommand(io, options, async (session) => {
      const installation = await session.plugins.enablePlugin(id, grants === undefined ? {} : { grants });
      printResult(io, session, installation, () => installationLine(installation));
      return EXIT_OK;
    });
  },
});

import { pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { installationLine } from '../platform/summaries.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK } from './publish-cli-types.ts';

export const disableCommand = defineCommand({
  name: 'disable',
  summary: 'disable an installed plugin; it keeps its data and grants (scope plugins:admin)',
  configure: (command) => withPlatformOptions(command.argument('<id>', 'the plugin id')),
  async action({ args, options }, io) {
    const id = pluginIdOf(args[0]);
    return runPlatformCommand(io, options, async (session) => {
      const installation = await session.plugins.disablePlugin(id);
      printResult(io, session, installation, () => installationLine(installation));
      return EXIT_OK;
    });
  },
});

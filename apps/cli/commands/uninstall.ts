import { pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK } from './publish-cli-types.ts';

export const uninstallCommand = defineCommand({
  name: 'uninstall',
  summary: "remove a plugin from the token's tenant (scope plugins:admin)",
  configure: (command) => withPlatformOptions(command.argument('<id>', 'the plugin id')),
  async action({ args, options }, io) {
    const pluginId = pluginIdOf(args[0]);
    return runPlatformCommand(io, options, async (session) => {
      await session.plugins.uninstallPlugin(pluginId);
      printResult(io, session, { pluginId, uninstalled: true }, () => `${pluginId}: uninstalled`);
      return EXIT_OK;
    });
  },
});

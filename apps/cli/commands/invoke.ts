import { pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { inputOf } from './command-input.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';

/** Runs an enabled plugin once on the platform; a failed run (the plugin's error) exits 1. */
export const invokeCommand = defineCommand({
  name: 'invoke',
  summary: 'run an enabled plugin on the platform (scope plugins:invoke)',
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('<id>', 'the plugin id')
        .option('--input <json>', 'the input, as JSON (default: none)')
        .option('--input-file <file>', 'read the input from a JSON file'),
    ),
  async action({ args, options }, io) {
    const id = pluginIdOf(args[0]);
    const input = inputOf(options, undefined);
    return runPlatformCommand(io, options, async (session) => {
      const result = await session.plugins.invokePlugin(id, input);
      printResult(io, session, result, () =>
        [
          result.ok
            ? `ok: ${JSON.stringify(result.value)}`
            : `failed: ${result.error.code}: ${result.error.message}`,
          `usage: ${result.usage.wallMs} ms wall, ${result.usage.cpuMs} ms cpu, ${result.usage.dataCalls} data calls`,
          ...result.logs.map((log) => `log ${log.level}: ${log.message}`),
          ...result.events.map((event) => `event ${event.name}`),
        ].join('\n'),
      );
      return result.ok ? EXIT_OK : EXIT_FAILED;
    });
  },
});

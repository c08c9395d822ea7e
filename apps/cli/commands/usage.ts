import { Option } from 'commander';
import { USAGE_INTERVALS } from '../../../shared/domain/usage-series.ts';
import { UsageQuerySchema } from '../../../shared/http/requests/lifecycle-requests.ts';
import { pluginIdOf } from '../platform/command-arguments.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { tableOf } from '../platform/summaries.ts';
import { text } from './command-input.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK, UsageError } from './publish-cli-types.ts';

/** `getUsage(id, { from, to, interval })`: the totals since install and the window's series. */
export const usageCommand = defineCommand({
  name: 'usage',
  summary: "a plugin's usage in the token's tenant: totals and a time series (scope plugins:read)",
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('<id>', 'the plugin id')
        .option('--from <datetime>', 'start of the window, ISO 8601 (default: one interval span before --to)')
        .option('--to <datetime>', 'end of the window, ISO 8601 (default: now)')
        .addOption(
          new Option('--interval <size>', 'bucket size of the series (default hour)').choices(
            USAGE_INTERVALS,
          ),
        ),
    ),
  async action({ args, options }, io) {
    const id = pluginIdOf(args[0]);
    const query = UsageQuerySchema.safeParse({
      from: text(options, 'from'),
      to: text(options, 'to'),
      interval: text(options, 'interval'),
    });
    if (!query.success) {
      const issue = query.error.issues[0];
      throw new UsageError(`--${String(issue?.path[0] ?? '')} ${issue?.message ?? 'is not valid'}`);
    }
    return runPlatformCommand(io, options, async (session) => {
      const report = await session.plugins.getUsage(id, query.data);
      printResult(io, session, report, () =>
        [
          `${report.pluginId}: ${report.invocations} runs, ${report.failures} failed since install` +
            (report.lastInvokedAt ? ` (last ${report.lastInvokedAt})` : ''),
          `${report.interval} buckets from ${report.from} to ${report.to}:`,
          tableOf(
            ['START', 'RUNS', 'FAILED', 'LIMITS', 'WALL MS', 'CPU MS', 'DATA', 'NETWORK'],
            report.series
              .filter((bucket) => bucket.invocations > 0)
              .map((bucket) => [
                bucket.start,
                String(bucket.invocations),
                String(bucket.failures),
                String(bucket.limitBreaches),
                String(Math.round(bucket.wallMs)),
                String(Math.round(bucket.cpuMs)),
                String(bucket.dataCalls),
                String(bucket.networkCalls),
              ]),
          ),
          `window: ${report.seriesTotals.invocations} runs, ${report.seriesTotals.failures} failed (empty buckets not shown)`,
        ].join('\n'),
      );
      return EXIT_OK;
    });
  },
});

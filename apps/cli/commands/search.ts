import { Option } from 'commander';
import { SEARCH_SORTS } from '../../../shared/search/search-query.ts';
import { printResult, runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { tableOf } from '../platform/summaries.ts';
import { collect, text } from './command-input.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK, UsageError } from './publish-cli-types.ts';

/** `searchPlugins({ query, tags, sort })`: one page of the catalogue, as a table or the SDK's JSON. */
export const searchCommand = defineCommand({
  name: 'search',
  summary: 'search the marketplace catalogue (any authenticated token)',
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('[query]', 'free text over name, description and tags (default: every plugin)')
        .option('--tag <tag>', 'only plugins carrying this tag (repeatable)', collect)
        .addOption(
          new Option('--sort <order>', 'order of the results').choices(SEARCH_SORTS).default('relevance'),
        )
        .addOption(new Option('--verified <bool>', 'only (un)verified publishers').choices(['true', 'false']))
        .option('--limit <n>', 'results per page, 1 to 100 (default 20)')
        .option('--cursor <cursor>', "the previous page's nextCursor"),
    ),
  async action({ args, options }, io) {
    const limit = text(options, 'limit');
    if (limit !== undefined && !/^(100|[1-9][0-9]?)$/.test(limit))
      throw new UsageError('--limit must be an integer from 1 to 100');
    const request = {
      query: typeof args[0] === 'string' ? args[0] : '',
      tags: (options.tag as string[] | undefined) ?? [],
      sort: options.sort as (typeof SEARCH_SORTS)[number],
      ...(limit === undefined ? {} : { limit: Number(limit) }),
      ...(options.verified === undefined ? {} : { verified: options.verified as 'true' | 'false' }),
      ...(options.cursor === undefined ? {} : { cursor: String(options.cursor) }),
    };
    return runPlatformCommand(io, options, async (session) => {
      const results = await session.marketplace.searchPlugins(request);
      printResult(io, session, results, () =>
        [
          tableOf(
            ['ID', 'LATEST', 'DOWNLOADS', 'RATING', 'VERIFIED', 'NAME'],
            results.items.map((item) => [
              item.pluginId,
              item.latestVersion ?? '-',
              String(item.downloads),
              `${item.rating.average.toFixed(1)} (${item.rating.count})`,
              item.publisherVerified ? 'yes' : 'no',
              item.name,
            ]),
          ),
          `${results.items.length} of ${results.total}${results.nextCursor ? ` (next: --cursor ${results.nextCursor})` : ''}`,
        ].join('\n'),
      );
      return EXIT_OK;
    });
  },
});

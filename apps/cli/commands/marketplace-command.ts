import type { Command } from 'commander';
import { type CommandIo, EXIT_FAILED, EXIT_USAGE } from './publish-cli-types.ts';
import { createMarketplaceClient, DEFAULT_ENDPOINT } from './publish-client.ts';

export interface MarketplaceSession {
  readonly token: string;
  readonly request: ReturnType<typeof createMarketplaceClient>;
}

/** The options every command that calls the marketplace shares. */
export function withMarketplaceOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', `the platform's API (default: GRADIANT_ENDPOINT, else ${DEFAULT_ENDPOINT})`)
    .option('--json', 'print the result as JSON (these commands always do)');
}

/**
 * The frame every command that calls the marketplace shares: a missing GRADIANT_TOKEN exits 2,
 * anything failing in `work` exits 1 with one `error:` line (naming the endpoint and the
 * server's problem code), and `work`'s own answer is the exit code.
 */
export async function runMarketplaceCommand(
  io: CommandIo,
  endpointOption: unknown,
  work: (session: MarketplaceSession) => Promise<number>,
  describeFailure: (error: unknown) => string = (error) => (error as Error).message,
): Promise<number> {
  const token = io.env.GRADIANT_TOKEN;
  if (!token) {
    io.stderr('error: set GRADIANT_TOKEN to a token with the marketplace:publish scope\n');
    return EXIT_USAGE;
  }
  const endpoint =
    (typeof endpointOption === 'string' ? endpointOption : undefined) ??
    io.env.GRADIANT_ENDPOINT ??
    DEFAULT_ENDPOINT;
  try {
    const request = createMarketplaceClient({ endpoint, token, fetch: io.fetch });
    return await work({ token, request });
  } catch (error) {
    io.stderr(`error: ${endpoint}: ${describeFailure(error)}\n`);
    return EXIT_FAILED;
  }
}

import { type CommandIo, EXIT_FAILED, EXIT_USAGE } from './publish-cli-types.ts';
import { createMarketplaceClient, DEFAULT_ENDPOINT } from './publish-client.ts';

export interface MarketplaceSession {
  readonly token: string;
  readonly request: ReturnType<typeof createMarketplaceClient>;
}

/**
 * The frame every command that calls the marketplace shares: bad arguments and a missing
 * GRADIANT_TOKEN exit 2 with the usage, anything failing in `work` exits 1 with one `error:` line,
 * and `work`'s own answer is the exit code.
 */
export async function runMarketplaceCommand<Args extends { readonly endpoint?: string | undefined }>(
  command: { readonly usage: string },
  io: CommandIo,
  parse: () => Args,
  work: (args: Args, session: MarketplaceSession) => Promise<number>,
  describeFailure: (error: unknown) => string = (error) => (error as Error).message,
): Promise<number> {
  let args: Args;
  try {
    args = parse();
  } catch (error) {
    io.stderr(`${(error as Error).message}\nusage: gradiant-plugins ${command.usage}\n`);
    return EXIT_USAGE;
  }
  const token = io.env.GRADIANT_TOKEN;
  if (!token) {
    io.stderr('error: set GRADIANT_TOKEN to a token with the marketplace:publish scope\n');
    return EXIT_USAGE;
  }
  try {
    const request = createMarketplaceClient({
      endpoint: args.endpoint ?? io.env.GRADIANT_ENDPOINT ?? DEFAULT_ENDPOINT,
      token,
      fetch: io.fetch,
    });
    return await work(args, { token, request });
  } catch (error) {
    io.stderr(`error: ${describeFailure(error)}\n`);
    return EXIT_FAILED;
  }
}

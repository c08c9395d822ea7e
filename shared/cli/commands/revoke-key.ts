import { parseArgs } from 'node:util';
import { PublisherKeyPathSchema } from '../../domain/marketplace.ts';
import { type CliCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './publish-cli-types.ts';
import { createMarketplaceClient, DEFAULT_ENDPOINT } from './publish-client.ts';

/**
 * Revokes one of the caller's publisher keys, say after it leaked: it signs nothing new from then
 * on and can never be registered again. Releases the platform already signed stay installable.
 */
export const revokeKeyCommand: CliCommand = {
  name: 'revoke-key',
  summary: 'revoke a publisher key by its id (token from GRADIANT_TOKEN)',
  usage: 'revoke-key <keyId> [--endpoint URL]',
  async run(argv, io) {
    let keyId: string;
    let endpoint: string | undefined;
    try {
      const { values, positionals } = parseArgs({
        args: [...argv],
        options: { endpoint: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length !== 1) throw new Error('give exactly one key id');
      const parsed = PublisherKeyPathSchema.safeParse({ keyId: positionals[0] });
      if (!parsed.success) throw new Error('not a publisher key id (pk_ and 32 characters)');
      keyId = parsed.data.keyId;
      endpoint = values.endpoint;
    } catch (error) {
      io.stderr(`${(error as Error).message}\nusage: gradiant-plugins ${this.usage}\n`);
      return EXIT_USAGE;
    }
    const token = io.env.GRADIANT_TOKEN;
    if (!token) {
      io.stderr('error: set GRADIANT_TOKEN to a token with the marketplace:publish scope\n');
      return EXIT_USAGE;
    }
    try {
      const request = createMarketplaceClient({
        endpoint: endpoint ?? io.env.GRADIANT_ENDPOINT ?? DEFAULT_ENDPOINT,
        token,
        fetch: io.fetch,
      });
      await request('DELETE', `/v1/publishers/keys/${encodeURIComponent(keyId)}`);
      io.stdout(`${JSON.stringify({ keyId, revoked: true })}\n`);
      return EXIT_OK;
    } catch (error) {
      io.stderr(`error: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
  },
};

import { parseArgs } from 'node:util';
import { PublisherKeyIdSchema } from '../../../shared/domain/marketplace.ts';
import { runMarketplaceCommand } from './marketplace-command.ts';
import { type CliCommand, EXIT_OK } from './publish-cli-types.ts';

/**
 * Revokes one of the caller's publisher keys, say after it leaked: it signs nothing new from then
 * on and can never be registered again. Releases the platform already signed stay installable.
 */
export const revokeKeyCommand: CliCommand = {
  name: 'revoke-key',
  summary: 'revoke a publisher key by its id (token from GRADIANT_TOKEN)',
  usage: 'revoke-key <keyId> [--endpoint URL]',
  run(argv, io) {
    return runMarketplaceCommand(
      this,
      io,
      () => {
        const { values, positionals } = parseArgs({
          args: [...argv],
          options: { endpoint: { type: 'string' } },
          allowPositionals: true,
          strict: true,
        });
        if (positionals.length !== 1) throw new Error('give exactly one key id');
        const parsed = PublisherKeyIdSchema.safeParse(positionals[0]);
        if (!parsed.success) throw new Error('not a publisher key id (pk_ and 32 characters)');
        return { keyId: parsed.data, endpoint: values.endpoint };
      },
      async ({ keyId }, { request }) => {
        await request('DELETE', `/v1/publishers/keys/${encodeURIComponent(keyId)}`);
        io.stdout(`${JSON.stringify({ keyId, revoked: true })}\n`);
        return EXIT_OK;
      },
    );
  },
};

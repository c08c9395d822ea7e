import { PublisherKeyIdSchema } from '../../../shared/domain/marketplace.ts';
import { runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK, UsageError } from './publish-cli-types.ts';

/**
 * Revokes one of the caller's publisher keys, say after it leaked: it signs nothing new from then
 * on and can never be registered again. Releases the platform already signed stay installable.
 */
export const revokeKeyCommand = defineCommand({
  name: 'revoke-key',
  summary: 'revoke a publisher key by its id (scope marketplace:publish)',
  configure: (command) =>
    withPlatformOptions(command.argument('<keyId>', 'the key id keygen printed (pk_ and 32 characters)')),
  async action({ args, options }, io) {
    const parsed = PublisherKeyIdSchema.safeParse(args[0]);
    if (!parsed.success) throw new UsageError('not a publisher key id (pk_ and 32 characters)');
    const keyId = parsed.data;
    return runPlatformCommand(io, options, async ({ publisher }) => {
      await publisher.revokePublisherKey(keyId);
      io.stdout(`${JSON.stringify({ keyId, revoked: true })}\n`);
      return EXIT_OK;
    });
  },
});

import { systemClock } from '../../../shared/ports/clock.ts';
import { defineCommand } from './define-command.ts';
import { runMarketplaceCommand, withMarketplaceOptions } from './marketplace-command.ts';
import { EXIT_OK } from './publish-cli-types.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { loadPublisherPrivateKey } from './sign-artifact.ts';

/**
 * Registers a publisher key on its own, proving possession of the private key: for a hospital
 * that signs its in-house plugins for direct installs, or to register before a first publish.
 */
export const registerKeyCommand = defineCommand({
  name: 'register-key',
  summary: 'register a publisher key with a proof of possession (token from GRADIANT_TOKEN)',
  configure: (command) =>
    withMarketplaceOptions(
      command.requiredOption('--key <file>', 'the publisher private key (PEM, from keygen)'),
    ),
  action: ({ options }, io) =>
    runMarketplaceCommand(io, options.endpoint, async ({ token, request }) => {
      const privateKey = loadPublisherPrivateKey(String(options.key));
      const registered = await registerPublisherKey(request, {
        privateKey,
        token,
        clock: io.clock ?? systemClock,
      });
      io.stdout(`${JSON.stringify(registered)}\n`);
      return EXIT_OK;
    }),
});

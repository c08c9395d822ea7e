import { systemClock } from '../../../shared/ports/clock.ts';
import { runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_OK } from './publish-cli-types.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { loadPublisherPrivateKey } from './sign-artifact.ts';

/**
 * Registers a publisher key on its own, proving possession of the private key: for a hospital
 * that signs its in-house plugins for direct installs, or to register before a first publish.
 */
export const registerKeyCommand = defineCommand({
  name: 'register-key',
  summary: 'register a publisher key with a proof of possession (scope marketplace:publish)',
  configure: (command) =>
    withPlatformOptions(
      command.requiredOption('--key <file>', 'the publisher private key (PEM, from keygen)'),
    ),
  action: ({ options }, io) =>
    runPlatformCommand(io, options, async ({ publisher, token }) => {
      const privateKey = loadPublisherPrivateKey(String(options.key));
      const registered = await registerPublisherKey(publisher, {
        privateKey,
        token: await token(),
        clock: io.clock ?? systemClock,
      });
      io.stdout(`${JSON.stringify(registered)}\n`);
      return EXIT_OK;
    }),
});

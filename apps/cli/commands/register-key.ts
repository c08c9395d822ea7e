import { parseArgs } from 'node:util';
import { systemClock } from '../../../shared/ports/clock.ts';
import { runMarketplaceCommand } from './marketplace-command.ts';
import { type CliCommand, EXIT_OK } from './publish-cli-types.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { loadPublisherPrivateKey } from './sign-artifact.ts';

/**
 * Registers a publisher key on its own, proving possession of the private key: for a hospital
 * that signs its in-house plugins for direct installs, or to register before a first publish.
 */
export const registerKeyCommand: CliCommand = {
  name: 'register-key',
  summary: 'register a publisher key with a proof of possession (token from GRADIANT_TOKEN)',
  usage: 'register-key --key FILE [--endpoint URL]',
  run(argv, io) {
    return runMarketplaceCommand(
      this,
      io,
      () => {
        const { values } = parseArgs({
          args: [...argv],
          options: { key: { type: 'string' }, endpoint: { type: 'string' } },
          strict: true,
        });
        if (!values.key) throw new Error('missing --key');
        return { key: values.key, endpoint: values.endpoint };
      },
      async ({ key }, { token, request }) => {
        const privateKey = loadPublisherPrivateKey(key);
        const registered = await registerPublisherKey(request, {
          privateKey,
          token,
          clock: io.clock ?? systemClock,
        });
        io.stdout(`${JSON.stringify(registered)}\n`);
        return EXIT_OK;
      },
    );
  },
};

import { parseArgs } from 'node:util';
import { systemClock } from '../../ports/clock.ts';
import { type CliCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './publish-cli-types.ts';
import { createMarketplaceClient, DEFAULT_ENDPOINT } from './publish-client.ts';
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
  async run(argv, io) {
    let values: { key?: string; endpoint?: string };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: { key: { type: 'string' }, endpoint: { type: 'string' } },
        strict: true,
      }));
      if (!values.key) throw new Error('missing --key');
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
        endpoint: values.endpoint ?? io.env.GRADIANT_ENDPOINT ?? DEFAULT_ENDPOINT,
        token,
        fetch: io.fetch,
      });
      const privateKey = loadPublisherPrivateKey(values.key);
      const registered = await registerPublisherKey(request, {
        privateKey,
        token,
        clock: io.clock ?? systemClock,
      });
      io.stdout(`${JSON.stringify(registered)}\n`);
      return EXIT_OK;
    } catch (error) {
      io.stderr(`error: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
  },
};

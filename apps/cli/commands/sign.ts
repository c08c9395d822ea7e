import { readFileSync } from 'node:fs';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';
import { loadPublisherPrivateKey, signArtifact } from './sign-artifact.ts';

/** Prints `{ keyId, signature }` for an artifact, as the publish request carries it. */
export const signCommand = defineCommand({
  name: 'sign',
  summary: 'sign an artifact with a publisher key and print the signature object',
  configure: (command) =>
    command
      .argument('<artifact>', 'the bundled plugin module to sign')
      .requiredOption('--key <file>', 'the publisher private key (PEM, from keygen)')
      .option('--json', 'print { keyId, signature } as JSON (this command always does)'),
  async action({ args, options }, io) {
    try {
      const signature = signArtifact(
        readFileSync(String(args[0])),
        loadPublisherPrivateKey(String(options.key)),
      );
      io.stdout(`${JSON.stringify(signature)}\n`);
      return EXIT_OK;
    } catch (error) {
      io.stderr(`error: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
  },
});

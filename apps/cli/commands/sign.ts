import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CliCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './publish-cli-types.ts';
import { loadPublisherPrivateKey, signArtifact } from './sign-artifact.ts';

/** Prints `{ keyId, signature }` for an artifact, as the publish request carries it. */
export const signCommand: CliCommand = {
  name: 'sign',
  summary: 'sign an artifact with a publisher key and print the signature object',
  usage: 'sign <artifact> --key FILE',
  async run(argv, io) {
    let parsed: { values: { key?: string }; positionals: string[] };
    try {
      parsed = parseArgs({ args: [...argv], options: { key: { type: 'string' } }, allowPositionals: true });
    } catch (error) {
      io.stderr(`${(error as Error).message}\nusage: gradiant-plugins ${this.usage}\n`);
      return EXIT_USAGE;
    }
    const artifact = parsed.positionals[0];
    if (!artifact || !parsed.values.key || parsed.positionals.length !== 1) {
      io.stderr(`usage: gradiant-plugins ${this.usage}\n`);
      return EXIT_USAGE;
    }
    try {
      const signature = signArtifact(readFileSync(artifact), loadPublisherPrivateKey(parsed.values.key));
      io.stdout(`${JSON.stringify(signature)}\n`);
      return EXIT_OK;
    } catch (error) {
      io.stderr(`error: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
  },
};

import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { publisherKeyIdOf } from '../../../shared/domain/marketplace-keys.ts';
import { type CliCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './publish-cli-types.ts';

export const PRIVATE_KEY_FILE = 'publisher-key.pem';
export const PUBLIC_KEY_FILE = 'publisher-key.pub.pem';

/** Writes a P-256 key pair: the private key readable by its owner only, never overwritten silently. */
export const keygenCommand: CliCommand = {
  name: 'keygen',
  summary: 'write an ECDSA P-256 publisher key pair',
  usage: 'keygen [--out DIR] [--force]',
  async run(argv, io) {
    let values: { out?: string; force?: boolean };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: { out: { type: 'string' }, force: { type: 'boolean' } },
        strict: true,
      }));
    } catch (error) {
      io.stderr(`${(error as Error).message}\nusage: gradiant-plugins ${this.usage}\n`);
      return EXIT_USAGE;
    }
    const directory = values.out ?? '.';
    const privatePath = join(directory, PRIVATE_KEY_FILE);
    const publicPath = join(directory, PUBLIC_KEY_FILE);
    if (!values.force && (existsSync(privatePath) || existsSync(publicPath))) {
      io.stderr(`error: ${privatePath} exists; pass --force to replace it\n`);
      return EXIT_FAILED;
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    mkdirSync(directory, { recursive: true });
    writeFileSync(privatePath, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    writeFileSync(publicPath, publicKey.export({ format: 'pem', type: 'spki' }));
    io.stdout(
      `${JSON.stringify({ keyId: publisherKeyIdOf(publicKey), privateKey: privatePath, publicKey: publicPath })}\n`,
    );
    return EXIT_OK;
  },
};

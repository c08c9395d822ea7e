import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publisherKeyIdOf } from '../../../shared/domain/marketplace-keys.ts';
import { defineCommand } from './define-command.ts';
import { EXIT_FAILED, EXIT_OK } from './publish-cli-types.ts';

export const PRIVATE_KEY_FILE = 'publisher-key.pem';
export const PUBLIC_KEY_FILE = 'publisher-key.pub.pem';

/** Writes a P-256 key pair: the private key readable by its owner only, never overwritten silently. */
export const keygenCommand = defineCommand({
  name: 'keygen',
  summary: 'write an ECDSA P-256 publisher key pair',
  configure: (command) =>
    command
      .option('--out <dir>', 'directory to write the key pair into', '.')
      .option('--force', 'replace an existing key pair')
      .option('--json', 'print { keyId, privateKey, publicKey } as JSON (this command always does)'),
  async action({ options }, io) {
    const directory = String(options.out);
    const privatePath = join(directory, PRIVATE_KEY_FILE);
    const publicPath = join(directory, PUBLIC_KEY_FILE);
    if (!options.force && (existsSync(privatePath) || existsSync(publicPath))) {
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
});

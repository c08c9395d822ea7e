import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SemverSchema } from '../../../shared/domain/manifest.ts';
import { isClaimSigned, sbomSha256Of } from '../../../shared/domain/release-claim.ts';
import { sha256Hex } from '../../../shared/domain/signatures.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import { defineCommand } from './define-command.ts';
import { runMarketplaceCommand, withMarketplaceOptions } from './marketplace-command.ts';
import { type CommandIo, EXIT_OK } from './publish-cli-types.ts';
import { type createMarketplaceClient, ServerProblemError } from './publish-client.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { loadPublisherPrivateKey, signArtifact, signReleaseClaim } from './sign-artifact.ts';

/** Artifacts above this go through a presigned upload; JSON escaping could push them past the body limit. */
export const INLINE_ARTIFACT_LIMIT = 256 * 1024;

/** The manifest file: the plugin id and version beside its metadata (the server validates the rest). */
const ManifestFileSchema = z.object({ id: z.string().min(1), version: SemverSchema, metadata: z.unknown() });
const UploadSchema = z.object({
  uploadId: z.string(),
  url: z.string(),
  headers: z.record(z.string(), z.string()),
});

/**
 * Registers the key with a proof of possession (idempotent), uploads large artifacts through a presigned URL, and publishes.
 * Every server refusal is printed with the endpoint and its problem code, and the exit code is 1.
 */
export const publishCommand = defineCommand({
  name: 'publish',
  summary: 'sign and publish an artifact to the marketplace (token from GRADIANT_TOKEN)',
  configure: (command) =>
    withMarketplaceOptions(
      command
        .argument('<artifact>', 'the bundled plugin module (from build)')
        .requiredOption('--manifest <file>', 'the manifest.json with id, version and metadata')
        .requiredOption('--key <file>', 'the publisher private key (PEM, from keygen)')
        .option('--sbom <file>', 'the CycloneDX JSON SBOM build wrote; the signature then covers it')
        .option('--release-notes <file>', 'plain-text release notes; the signature then covers them'),
    ),
  action: ({ args, options }, io) =>
    runMarketplaceCommand(
      io,
      options.endpoint,
      async ({ token, request }) => {
        const artifact = readFileSync(String(args[0]));
        const manifest = ManifestFileSchema.parse(JSON.parse(readFileSync(String(options.manifest), 'utf8')));
        const privateKey = loadPublisherPrivateKey(String(options.key));
        await registerPublisherKey(request, { privateKey, token, clock: io.clock ?? systemClock });
        // With an SBOM or notes the signature covers the release claim, else the artifact bytes.
        const sbom =
          typeof options.sbom === 'string' ? JSON.parse(readFileSync(options.sbom, 'utf8')) : undefined;
        const releaseNotes =
          typeof options.releaseNotes === 'string'
            ? readFileSync(options.releaseNotes, 'utf8').trim()
            : undefined;
        const signature = isClaimSigned({ sbom, releaseNotes })
          ? signReleaseClaim(
              {
                pluginId: manifest.id,
                version: manifest.version,
                artifactSha256: sha256Hex(artifact),
                sbomSha256: sbom === undefined ? undefined : sbomSha256Of(sbom),
                releaseNotes,
              },
              privateKey,
            )
          : signArtifact(artifact, privateKey);
        const source =
          artifact.byteLength <= INLINE_ARTIFACT_LIMIT
            ? { code: artifact.toString('utf8') }
            : { uploadId: await upload(artifact, request, io) };
        const release = await request('POST', '/v1/marketplace/plugins', {
          ...manifest,
          ...source,
          ...(sbom === undefined ? {} : { sbom }),
          ...(releaseNotes === undefined ? {} : { releaseNotes }),
          signature,
        });
        io.stdout(`${JSON.stringify(release)}\n`);
        return EXIT_OK;
      },
      (error) =>
        error instanceof ServerProblemError
          ? error.message
          : error instanceof z.ZodError
            ? `the manifest file is not valid: ${error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`
            : (error as Error).message,
    ),
});

/** Uploads through the presigned URL, reporting progress on stderr so stdout stays one JSON object. */
async function upload(
  artifact: Buffer,
  request: ReturnType<typeof createMarketplaceClient>,
  io: CommandIo,
): Promise<string> {
  const sha256 = createHash('sha256').update(artifact).digest('hex');
  const target = UploadSchema.parse(
    await request('POST', '/v1/marketplace/uploads', { sizeBytes: artifact.byteLength, sha256 }),
  );
  // fetch derives content-length from the body itself and refuses to be told it.
  const headers = Object.fromEntries(
    Object.entries(target.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  io.stderr(`uploading ${artifact.byteLength} bytes\n`);
  const response = await io.fetch(target.url, { method: 'PUT', headers, body: artifact });
  if (!response.ok) throw new Error(`the artifact upload failed with HTTP ${response.status}`);
  io.stderr(`uploaded ${artifact.byteLength} bytes\n`);
  return target.uploadId;
}

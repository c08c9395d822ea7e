import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PluginPublisherService, PublishReleaseRequest } from '../../../shared/client/index.ts';
import { SemverSchema } from '../../../shared/domain/manifest.ts';
import { isClaimSigned, sbomSha256Of } from '../../../shared/domain/release-claim.ts';
import { sha256Hex } from '../../../shared/domain/signatures.ts';
import { systemClock } from '../../../shared/ports/clock.ts';
import { runPlatformCommand, withPlatformOptions } from '../platform/platform-session.ts';
import { defineCommand } from './define-command.ts';
import { type CommandIo, EXIT_OK } from './publish-cli-types.ts';
import { registerPublisherKey } from './register-publisher-key.ts';
import { loadPublisherPrivateKey, signArtifact, signReleaseClaim } from './sign-artifact.ts';

/** Artifacts above this go through a presigned upload; JSON escaping could push them past the body limit. */
export const INLINE_ARTIFACT_LIMIT = 256 * 1024;

/** The manifest file: the plugin id and version beside its metadata (the server validates the rest). */
const ManifestFileSchema = z.object({ id: z.string().min(1), version: SemverSchema, metadata: z.unknown() });

/**
 * Registers the key with a proof of possession (idempotent), uploads large artifacts through a presigned URL, and publishes.
 * Every server refusal is printed with the endpoint and its problem code, and the exit code is 1.
 */
export const publishCommand = defineCommand({
  name: 'publish',
  summary: 'sign and publish an artifact to the marketplace (scope marketplace:publish)',
  configure: (command) =>
    withPlatformOptions(
      command
        .argument('<artifact>', 'the bundled plugin module (from build)')
        .requiredOption('--manifest <file>', 'the manifest.json with id, version and metadata')
        .requiredOption('--key <file>', 'the publisher private key (PEM, from keygen)')
        .option('--sbom <file>', 'the CycloneDX JSON SBOM build wrote; the signature then covers it')
        .option('--release-notes <file>', 'plain-text release notes; the signature then covers them')
        .option('--progress', 'report upload progress on stderr even when it is not a terminal'),
    ),
  action: ({ args, options }, io) =>
    runPlatformCommand(io, options, async ({ publisher, token }) => {
      const artifact = readFileSync(String(args[0]));
      const manifest = manifestOf(String(options.manifest));
      const privateKey = loadPublisherPrivateKey(String(options.key));
      await registerPublisherKey(publisher, {
        privateKey,
        token: await token(),
        clock: io.clock ?? systemClock,
      });
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
      const showsProgress = options.progress === true || io.isStderrTerminal === true;
      const source =
        artifact.byteLength <= INLINE_ARTIFACT_LIMIT
          ? { code: artifact.toString('utf8') }
          : { uploadId: await upload(artifact, publisher, io, showsProgress) };
      const release = await publisher.publishRelease({
        ...manifest,
        ...source,
        ...(sbom === undefined ? {} : { sbom }),
        ...(releaseNotes === undefined ? {} : { releaseNotes }),
        signature,
      } as PublishReleaseRequest);
      io.stdout(`${JSON.stringify(release)}\n`);
      return EXIT_OK;
    }),
});

function manifestOf(path: string): z.infer<typeof ManifestFileSchema> {
  const parsed = ManifestFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new Error(`the manifest file is not valid: ${issues}`);
}

/** The upload is sent in chunks of this size, each reported once the socket has taken it. */
const UPLOAD_CHUNK_BYTES = 64 * 1024;

/**
 * Uploads through the presigned URL, reporting the bytes sent of the total on stderr so stdout
 * stays one JSON object. The body is a stream read chunk by chunk (so progress is real) with the
 * signed Content-Length kept: S3 refuses a presigned PUT sent chunked, and fetch sends a stream
 * with an explicit length as one plain body.
 */
async function upload(
  artifact: Buffer,
  publisher: PluginPublisherService,
  io: CommandIo,
  showsProgress: boolean,
): Promise<string> {
  const total = artifact.byteLength;
  const target = await publisher.createArtifactUpload({ sizeBytes: total, sha256: sha256Hex(artifact) });
  const headers = Object.fromEntries(
    Object.entries(target.headers).filter(([name]) => name.toLowerCase() !== 'content-length'),
  );
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > 0 && showsProgress) io.stderr(`uploading: ${sent}/${total} bytes\n`);
      if (sent >= total) {
        controller.close();
        return;
      }
      const chunk = artifact.subarray(sent, sent + UPLOAD_CHUNK_BYTES);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  if (showsProgress) io.stderr(`uploading: 0/${total} bytes\n`);
  const response = await io.fetch(target.url, {
    method: target.method,
    headers: { ...headers, 'content-length': String(total) },
    body,
    duplex: 'half',
  } as RequestInit);
  if (!response.ok) throw new Error(`the artifact upload failed with HTTP ${response.status}`);
  if (showsProgress) io.stderr(`uploaded ${total} bytes\n`);
  return target.uploadId;
}

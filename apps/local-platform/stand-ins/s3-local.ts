import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunningStandIn } from './dynamodb-local.ts';

const require = createRequire(import.meta.url);

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

/**
 * Starts s3rver, a wire-compatible S3 stand-in, in this process. Clients must use path-style
 * addressing, the S3RVER credentials and `WHEN_REQUIRED` checksums (see stack facts: otherwise
 * streamed bodies are stored with their aws-chunked framing).
 */
export async function startS3Local(options: {
  directory: string;
  buckets: readonly string[];
}): Promise<RunningStandIn> {
  mkdirSync(options.directory, { recursive: true });
  const S3rver = require('s3rver') as S3rverConstructor;
  const { version } = JSON.parse(readFileSync(require.resolve('s3rver/package.json'), 'utf8')) as {
    version: string;
  };
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, version: `s3rver ${version}`, stop: () => server.close() };
}

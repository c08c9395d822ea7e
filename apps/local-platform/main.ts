import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AUDIT_DIGEST_PUBLIC_KEY_FILE } from './local-audit.ts';
import { LOCAL_BUCKET_NAMES } from './local-buckets.ts';
import { startLocalPlatform } from './server.ts';

const USAGE = `Usage: npm start [-- --port N] [-- --reset] [-- --data-dir DIR]
  --port N        listen on port N (default: $PORT or 3000; 0 picks a free port)
  --reset         delete the local data (.data/) and seed the demo data again
  --data-dir DIR  keep local data in DIR (default: .data)
  --webhook-receiver ORIGIN
                  let webhooks deliver to a receiver on this machine (http://127.0.0.1:4555);
                  repeatable; also $WEBHOOK_LOOPBACK_ORIGINS (comma-separated)`;

function parseOptions() {
  try {
    const { values } = parseArgs({
      options: {
        port: { type: 'string' },
        reset: { type: 'boolean', default: false },
        'data-dir': { type: 'string' },
        'webhook-receiver': { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const port = Number(values.port ?? process.env.PORT ?? 3000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${values.port}`);
    return {
      port,
      reset: values.reset,
      help: values.help,
      dataDirectory: resolve(values['data-dir'] ?? '.data'),
      webhookLoopbackOrigins: [
        ...(values['webhook-receiver'] ?? []),
        ...(process.env.WEBHOOK_LOOPBACK_ORIGINS ?? '').split(','),
      ]
        .map((origin) => origin.trim())
        .filter(Boolean),
    };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

const options = parseOptions();
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

try {
  const platform = await startLocalPlatform({
    ...options,
    // This entry point's own settings; the platform never reads or writes the process environment.
    logLevel: process.env.POWERTOOLS_LOG_LEVEL,
    executionWorkers: process.env.LOCAL_EXECUTION_WORKERS,
    baseEnvironment: process.env,
  });
  const token = await platform.issueToken('t-acme', 'dev-user', [
    'plugins:read',
    'plugins:admin',
    'plugins:invoke',
  ]);
  process.stdout.write(
    [
      `Gradiant Plugins local platform listening on ${platform.url}`,
      `  data: ${options.dataDirectory} (reset with: npm start -- --reset)`,
      `  health: curl ${platform.url}/health`,
      `  a token for tenant t-acme (1 h): ${platform.url}/local/dev-token?tenant=t-acme&sub=dev-user&scopes=plugins:read,plugins:admin,plugins:invoke`,
      `  verify t-acme's audit chain: npx gradiant-plugins audit verify --bucket ${LOCAL_BUCKET_NAMES.complianceLog} --tenant t-acme --public-key ${join(options.dataDirectory, 'keys', AUDIT_DIGEST_PUBLIC_KEY_FILE)} --endpoint ${platform.endpoints.s3}`,
      '',
      `TOKEN=${token}`,
      `curl -H "Authorization: Bearer $TOKEN" ${platform.url}/v1/plugins`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (error) {
  process.stderr.write(`The local platform could not start: ${(error as Error).message}\n`);
  process.exit(1);
}

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClient } from '../../../scripts/build-client.mjs';
import { anInstallation } from '../../support/installation-factory.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

const CONSUMER_SCRIPT = `import { GradiantApiError, PluginService } from 'gradiant-plugins/client';
const plugins = new PluginService({ endpoint: process.argv[2], token: async () => 'token-1' });
const ids = [];
for await (const installation of plugins.listPlugins()) ids.push(installation.pluginId);
const failure = await plugins.getPlugin('missing').catch((error) => error);
console.log(JSON.stringify({ ids, isApiError: failure instanceof GradiantApiError, code: failure.code }));
`;

const CONSUMER_TYPES = `import { PluginService, type Installation } from 'gradiant-plugins/client';
const plugins = new PluginService({ endpoint: 'https://plugins.example.test', token: 't' });
const installations: Installation[] = await plugins.listPlugins().toArray();
plugins.on('plugin:enabled', ({ pluginId }) => console.log(pluginId, installations.length));
plugins.on('security:advisory', ({ advisoryIds }) => console.log(advisoryIds.join(',')));
// @ts-expect-error an installation state the schema does not have
const state: Installation['state'] = 'hibernating';
export { state };
`;

/**
 * `gradiant-plugins/client` as an integrator gets it: the built module and declarations in a
 * project of its own, zod its only dependency, run by plain Node with the global fetch.
 */
describe('the built client package', () => {
  let project: string;
  let bundle: string;
  let server: Server;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    project = mkdtempSync(join(tmpdir(), 'client-package-'));
    const installed = join(project, 'node_modules', 'gradiant-plugins');
    mkdirSync(installed, { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules', 'zod'), join(project, 'node_modules', 'zod'));
    const problem = await buildClient(esbuild, { root: ROOT, outdir: join(installed, 'dist', 'client') });
    expect(problem).toBeUndefined();
    bundle = readFileSync(join(installed, 'dist', 'client', 'index.js'), 'utf8');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'integrator', type: 'module' }));
    writeFileSync(join(project, 'consumer.mjs'), CONSUMER_SCRIPT);
    writeFileSync(join(project, 'consumer.ts'), CONSUMER_TYPES);
    server = createServer((request, response) => {
      seen.push(request.headers);
      const isList = request.url?.startsWith('/v1/plugins?') || request.url === '/v1/plugins';
      response.writeHead(isList ? 200 : 404, {
        'content-type': isList ? 'application/json' : 'application/problem+json',
      });
      response.end(
        JSON.stringify(
          isList
            ? { items: [anInstallation()] }
            : {
                type: '/problems/plugin-not-found',
                title: 'No such plugin',
                status: 404,
                code: 'PLUGIN_NOT_FOUND',
              },
        ),
      );
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  }, 60_000);

  afterAll(async () => {
    await new Promise((closed) => server?.close(closed));
    rmSync(project, { recursive: true, force: true });
  });

  it('imports nothing but zod: no node: module, no AWS SDK, no server code', () => {
    const imports = [...bundle.matchAll(/^import\s.*?from\s*"([^"]+)";?$/gm)].map((match) => match[1]);

    expect(new Set(imports)).toEqual(new Set(['zod']));
    expect(bundle).not.toMatch(/\brequire\(["']node:/);
  });

  it('runs in plain Node over the global fetch, with typed errors', async () => {
    const { port } = server.address() as AddressInfo;

    const { stdout } = await run(process.execPath, ['consumer.mjs', `http://127.0.0.1:${port}`], {
      cwd: project,
    });

    expect(JSON.parse(stdout)).toEqual({
      ids: [anInstallation().pluginId],
      isApiError: true,
      code: 'PLUGIN_NOT_FOUND',
    });
    expect(seen[0]).toMatchObject({
      authorization: 'Bearer token-1',
      'user-agent': 'gradiant-plugins-client',
    });
  });

  it("type-checks an integrator's code against the declarations alone (no @types/node, no skipLibCheck)", async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: false,
          noEmit: true,
          lib: ['es2022', 'dom'],
          types: [],
        },
        include: ['consumer.ts'],
      }),
    );

    const checked = await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', project]).then(
      () => 'clean',
      (error: { stdout?: string }) => error.stdout ?? 'failed',
    );

    expect(checked).toBe('clean');
  });
});

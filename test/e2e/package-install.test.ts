import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
/** This Node 24 first on PATH, as an author's shell would have it after installing Node 24. */
const ENV = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  NODE_OPTIONS: '',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
const OFFLINE_HINTS = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|network/i;

function sh(command: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: ENV, encoding: 'utf8', timeout: 120_000 });
}

function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) {
    throw new Error(`exit ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
  return result.stdout;
}

let work: string;
let project: string;
let registryProblem: string | undefined;

/**
 * `npm pack` of this repository installed into an empty folder, as the README tells an author:
 * only the package's runtime dependencies arrive, and its bin works there.
 */
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'gradiant-pack-'));
  project = join(work, 'author');
  mkdirSync(project);
  ok(sh('npm', ['pack', '--pack-destination', work], ROOT));
  const tarball = readdirSync(work).find((name) => /^gradiant-plugins-.*\.tgz$/.test(name));
  if (!tarball) throw new Error('npm pack wrote no gradiant-plugins-<version>.tgz');
  const install = sh(
    'npm',
    ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', `../${tarball}`],
    project,
  );
  if (install.status !== 0 && OFFLINE_HINTS.test(install.stderr)) {
    registryProblem = `the npm registry is unreachable, so the tarball's dependencies cannot be installed:\n${install.stderr}`;
    return;
  }
  ok(install);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed gradiant-plugins package in an empty folder', () => {
  it('installs only its runtime dependencies', (context) => {
    if (registryProblem) context.skip(registryProblem);
    const installed = readdirSync(join(project, 'node_modules'));

    expect(installed).toContain('gradiant-plugins');
    for (const unwanted of [
      '@aws-sdk',
      'aws-cdk-lib',
      '@aws-lambda-powertools',
      '@middy',
      '@medplum',
      'vitest',
    ]) {
      expect(installed).not.toContain(unwanted);
    }
    expect(existsSync(join(project, 'node_modules', 'gradiant-plugins', 'apps'))).toBe(false);
  });

  it('runs its bin with help for every command', (context) => {
    if (registryProblem) context.skip(registryProblem);

    const help = ok(sh('npx', ['gradiant-plugins', '--help'], project));
    const buildHelp = ok(sh('npx', ['gradiant-plugins', 'help', 'build'], project));

    for (const command of ['init', 'build', 'validate', 'run', 'keygen', 'publish', 'audit']) {
      expect(help).toContain(command);
    }
    expect(buildHelp).toContain('--minify');
  });

  // init, build, validate, run, keygen and publish as an author types them: readme-quick-starts.test.ts.
  it('runs a minified build of a scaffold, and the scaffold tests pass', (context) => {
    if (registryProblem) context.skip(registryProblem);

    ok(sh('npx', ['gradiant-plugins', 'init', 'count-patients'], project));
    const plugin = join(project, 'count-patients');
    const built = ok(sh('npx', ['gradiant-plugins', 'build', '--minify'], plugin));
    const run = sh(
      'npx',
      [
        'gradiant-plugins',
        'run',
        'dist/index.js',
        '--fixtures',
        'fixtures.json',
        '--grant',
        'read:patients',
        '--input',
        '{"family":"Example"}',
        '--json',
      ],
      plugin,
    );
    ok(sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], plugin));
    const tested = sh('npm', ['test'], plugin);

    expect(built).toMatch(/built dist\/index\.js: [\d.]+ KiB/);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      value: { count: 2, patientIds: ['p-1', 'p-2'] },
    });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/pass 2/);
    expect(JSON.parse(readFileSync(join(plugin, 'dist', 'count-patients.cdx.json'), 'utf8'))).toMatchObject({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
    });
  });

  it('type-checks the scaffolded source against the published plugin types', (context) => {
    if (registryProblem) context.skip(registryProblem);
    const plugin = join(project, 'typed');
    ok(sh('npx', ['gradiant-plugins', 'init', 'typed'], project));
    ok(sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], plugin));

    const checked = sh(TSC, ['-p', 'tsconfig.json'], plugin);

    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
  });

  it('says how to add the AWS SDK when audit verify needs it', (context) => {
    if (registryProblem) context.skip(registryProblem);

    const result = sh(
      'npx',
      [
        'gradiant-plugins',
        'audit',
        'verify',
        '--bucket',
        'audit',
        '--kms-key-id',
        'alias/audit',
        '--region',
        'us-east-1',
      ],
      project,
    );

    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'error: audit verify reads S3 and KMS: run "npm i -D @aws-sdk/client-s3 @aws-sdk/client-kms" first\n',
    );
  });

  it('says in one line which Node it needs and exits 2 on an older Node', (context) => {
    if (registryProblem) context.skip(registryProblem);
    const old = ['/usr/bin/node', '/bin/node', '/usr/local/bin/node'].find((candidate) => {
      if (!existsSync(candidate)) return false;
      const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
      return Number(version.stdout.split('.')[0]) < 24;
    });
    if (!old) context.skip('no Node.js older than 24 on this machine to try the bin with');

    const result = spawnSync(
      old as string,
      [join(project, 'node_modules', '.bin', 'gradiant-plugins'), '--help'],
      {
        encoding: 'utf8',
      },
    );

    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/needs Node\.js >= 24 .*npm i -D node@24/);
  });
});

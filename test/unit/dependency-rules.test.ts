import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

/** One wrong-way import per rule of `.dependency-cruiser.cjs`: [importing file, imported file, rule]. */
const WRONG_WAY: readonly [string, string, string][] = [
  ['shared/sandbox/bridge.ts', 'shared/domain/errors.ts', 'sandbox-is-self-contained'],
  [
    'shared/domain/manifest.ts',
    'shared/services/audit/audit-trail.ts',
    'domain-imports-only-domain-and-sandbox-types',
  ],
  ['shared/plugin/index.ts', 'shared/services/plugin-service.ts', 'plugin-types-are-domain-and-sandbox-only'],
  ['shared/ports/clock.ts', 'shared/adapters/aws/s3-client.ts', 'ports-import-only-domain-and-sandbox-types'],
  [
    'shared/services/audit/audit-trail.ts',
    'shared/adapters/aws/s3-client.ts',
    'services-do-not-know-technologies',
  ],
  [
    'shared/adapters/aws/kms.ts',
    'shared/services/plugin-service.ts',
    'adapters-implement-ports-not-use-cases',
  ],
  ['shared/http/problem.ts', 'shared/wiring/platform-adapters.ts', 'http-kit-does-not-wire-adapters'],
  ['functions/lifecycle/wiring.ts', 'infra/app.ts', 'runtime-code-does-not-import-infra'],
  ['shared/wiring/cursor-codec.ts', 'functions/lifecycle/config.ts', 'only-applications-import-functions'],
  ['functions/platform/routes.ts', 'apps/cli/cli.ts', 'nothing-imports-applications'],
  ['apps/cli/main.ts', 'apps/local-platform/server.ts', 'applications-do-not-import-each-other'],
  // A package, not a file of the tree: imported by name.
  ['shared/adapters/fhir/fhir-ehr-repository.ts', '@medplum/fhir-router', 'fhir-server-stays-local'],
];

const isPackage = (target: string) => target.startsWith('@');

let fixture: string;
let report: string;

/**
 * The rules are checked by `npm run lint:dependencies`; this proves each one bites: a tree with
 * exactly one wrong-way import per rule must fail, and name every rule with its offending edge.
 */
beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };
  for (const [from, to] of WRONG_WAY) {
    let specifier = isPackage(to) ? to : relative(dirname(from), to);
    if (!specifier.startsWith('.') && !isPackage(to)) specifier = `./${specifier}`;
    write(from, `import '${specifier}';\nexport {};\n`);
    if (!isPackage(to)) write(to, 'export const value = 1;\n');
  }
  const run = promisify(execFile)(
    DEPCRUISE,
    ['apps', 'shared', 'functions', 'infra', '--config', join(ROOT, '.dependency-cruiser.cjs')],
    { cwd: fixture },
  );
  report = await run.then(
    () => 'depcruise passed',
    (error: { stdout?: string }) => error.stdout ?? '',
  );
}, 60_000);

afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe('dependency rules', () => {
  it.each(WRONG_WAY)('%s → %s fails rule %s', (from, to, rule) => {
    expect(report).toContain(`${rule}: ${from} → ${to}`);
  });

  it('reports one violation per wrong-way import and nothing else', () => {
    expect(report).toContain(`${WRONG_WAY.length} dependency violations (${WRONG_WAY.length} errors`);
  });
});

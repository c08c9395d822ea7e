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
  ['shared/client/http-transport.ts', 'shared/http/route-dispatch.ts', 'client-imports-only-the-contract'],
];

/**
 * Wrong-way paths made of allowed imports (rules over what a module reaches, not what it imports):
 * [files in import order, rule], reported as one violation from the first file to the last.
 */
const WRONG_WAY_PATHS: readonly [readonly string[], string][] = [
  [
    [
      'shared/client/plugin-service.ts',
      'shared/http/routes/lifecycle-routes.ts',
      'shared/services/install-plugin.ts',
    ],
    'client-reaches-no-server-code',
  ],
];
const VIOLATIONS = WRONG_WAY.length + WRONG_WAY_PATHS.length;

const isPackage = (target: string) => target.startsWith('@');
const specifierOf = (from: string, to: string) => {
  if (isPackage(to)) return to;
  const specifier = relative(dirname(from), to);
  return specifier.startsWith('.') ? specifier : `./${specifier}`;
};

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
    write(from, `import '${specifierOf(from, to)}';\nexport {};\n`);
    if (!isPackage(to)) write(to, 'export const value = 1;\n');
  }
  for (const [files] of WRONG_WAY_PATHS) {
    files.forEach((from, index) => {
      const to = files[index + 1];
      if (to === undefined) write(from, 'export const value = 1;\n');
      else write(from, `import '${specifierOf(from, to)}';\nexport {};\n`);
    });
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

  it.each(WRONG_WAY_PATHS)('%j fails rule %s', (files, rule) => {
    expect(report).toContain(`${rule}: ${files[0]} → ${files.at(-1)}`);
  });

  it('reports one violation per wrong-way import or path and nothing else', () => {
    expect(report).toContain(`${VIOLATIONS} dependency violations (${VIOLATIONS} errors`);
  });
});

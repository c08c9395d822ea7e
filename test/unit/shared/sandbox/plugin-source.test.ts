import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPluginScript } from '../../../../shared/sandbox/bootstrap.ts';
import { DEFAULT_EXPORT_BINDING, toPluginBody } from '../../../../shared/sandbox/plugin-source.ts';

describe('toPluginBody', () => {
  it('rewrites an `export default` expression into an assignment', () => {
    const result = toPluginBody('export default { execute() { return 1; } };');

    expect(result).toEqual({ ok: true, body: `${DEFAULT_EXPORT_BINDING} = { execute() { return 1; } };` });
  });

  it("rewrites a bundler's `export { name as default }`", () => {
    const result = toPluginBody('const plugin = { execute() {} };\nexport {\n  plugin as default\n};\n');

    expect(result).toMatchObject({
      ok: true,
      body: expect.stringContaining(`${DEFAULT_EXPORT_BINDING} = plugin;`),
    });
  });

  it('keeps a named default function declaration hoisted and binds it at the end', () => {
    const result = toPluginBody('export default function plugin() {}\nplugin.execute = () => 1;');

    expect(result).toMatchObject({ ok: true });
    const body = result.ok ? result.body : '';
    expect(body.startsWith('function plugin() {}')).toBe(true);
    expect(body.endsWith(`${DEFAULT_EXPORT_BINDING} = plugin;`)).toBe(true);
  });

  it('refuses static imports', () => {
    const result = toPluginBody("import fs from 'node:fs';\nexport default {};");

    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('static import') });
  });

  it('refuses a module without exactly one default export', () => {
    expect(toPluginBody('const x = 1;')).toMatchObject({ ok: false });
    expect(toPluginBody('export default {};\nexport default {};')).toMatchObject({ ok: false });
  });
});

const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

/** Runs a body the way the bootstrap's wrapper does, and returns what it exported. */
async function exported(code: string): Promise<unknown> {
  const result = toPluginBody(code);
  if (!result.ok) throw new Error(result.message);
  const run = new AsyncFunction(
    `'use strict'; let ${DEFAULT_EXPORT_BINDING};\n${result.body}\n;return ${DEFAULT_EXPORT_BINDING};`,
  );
  return run();
}

describe('toPluginBody accepts every default export form', () => {
  it.each([
    ['an expression', 'export default 42;'],
    ['an expression without a semicolon', 'export default 42'],
    ['a parenthesized sequence', 'export default (1, 42);'],
    ['a named function', 'export default function answer() { return 42; }'],
    ['an async function', 'export default async function answer() { return 42; }'],
    ['a generator function', 'export default function* answer() { yield 42; }'],
    ['an anonymous function', 'export default function () { return 42; }'],
    ['an anonymous async function', 'export default async function () { return 42; }'],
    ['a named class', 'export default class Answer { static value = 42; }'],
    ['an anonymous class', 'export default class { static value = 42; }'],
    ['export { x as default }', 'const x = 42;\nexport { x as default };'],
    ['export { x as "default" }', 'const x = 42;\nexport { x as "default" };'],
    ['esbuild --minify output', 'var a={execute(){return 42}};export{a as default};'],
    ['code on the same line before it', 'const x = 40; export default x + 2;'],
    ['a hashbang line', '#!/usr/bin/env node\nexport default 42;'],
    ['top-level await', 'const x = await Promise.resolve(42);\nexport default x;'],
  ])('accepts %s', async (_form, code) => {
    const value = await exported(code);

    expect(value).toBeDefined();
  });

  it('reads `export { x as default }` after the whole body ran, as a live binding', async () => {
    const value = await exported('export { x as default };\nvar x = 1;\nx = 2;');

    expect(value).toBe(2);
  });

  it('keeps a following parenthesized statement from calling an anonymous default function', async () => {
    const value = await exported('export default function () { return 1; }\n(globalThis.__touched = 1);');

    expect(typeof value).toBe('function');
  });

  it('keeps line numbers when it removes a multi-line export', () => {
    const code = 'const a = 1;\nexport {\n  a as default\n};\nthrow new Error("line 5");';

    const result = toPluginBody(code);

    expect(result.ok && result.body.split('\n').indexOf('throw new Error("line 5");')).toBe(4);
  });

  it.each([
    ['a string', 'const s = "export default 1; import x from \'y\'";\nexport default s;'],
    ['a template', 'const s = `\nexport default 1;\nimport x from "y";\n`;\nexport default s;'],
    [
      'a comment',
      '// export default 1;\n/* import x from "y";\nexport { y as default } */\nexport default 2;',
    ],
    ['a regex', 'const r = /export default|import\\(/;\nexport default r;'],
  ])('is not misled by `export default` or `import` inside %s', async (_kind, code) => {
    const result = toPluginBody(code);

    expect(result.ok).toBe(true);
  });
});

describe('toPluginBody refuses what would reach another module or a named export', () => {
  it.each([
    ['a static import', 'import x from "y";\nexport default x;', 'static import'],
    ['a side-effect import', 'import "y";\nexport default 1;', 'static import'],
    ['a dynamic import', 'export default { run() { return import("node:fs"); } };', 'dynamic import()'],
    ['import.meta', 'export default { url: () => import.meta.url };', 'import.meta'],
    ['export * from', 'export * from "y";\nexport default 1;', 're-exports'],
    ['export { x } from', 'export { x } from "y";\nexport default 1;', 're-exports'],
    ['export { default } from', 'export { default } from "y";', 're-exports'],
    ['export const', 'export const helper = 1;\nexport default 1;', 'named export'],
    ['export function', 'export function helper() {}\nexport default 1;', 'named export'],
    ['a second specifier', 'const a = 1, b = 2;\nexport { a as default, b };', 'named export'],
    ['export { x }', 'const x = 1;\nexport { x };\nexport default 1;', 'named export'],
  ])('refuses %s', (_kind, code, reason) => {
    const result = toPluginBody(code);

    expect(result).toMatchObject({ ok: false, message: expect.stringContaining(reason) });
  });

  it('names the line and column of the refused statement', () => {
    const result = toPluginBody('export default 1;\n  import("y");');

    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('(line 2, column 3)') });
  });

  it('reports a syntax error by position without echoing the source', () => {
    const result = toPluginBody('const secretPatientName = 1;\nexport default secretPatientName +;');

    expect(result).toEqual({
      ok: false,
      message: 'plugin is not a valid ES module: syntax error at line 2, column 35',
    });
  });

  it('refuses a second default export', () => {
    const result = toPluginBody('const a = 1;\nexport { a as default };\nexport default 2;');

    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('not a valid ES module') });
  });
});

const identifier = fc
  .stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/)
  .filter(
    (name) => !['do', 'if', 'in', 'for', 'let', 'new', 'try', 'var', 'case', 'else', 'enum'].includes(name),
  )
  .map((name) => `p_${name}`);

/** In a JS object literal `"__proto__": x` sets the prototype instead of a key: not a JSON round trip. */
const jsonWithoutProtoKeys = fc.jsonValue().filter((value) => !JSON.stringify(value).includes('"__proto__"'));

describe('toPluginBody property', () => {
  it('gives back the same value from every accepted form', async () => {
    await fc.assert(
      fc.asyncProperty(identifier, jsonWithoutProtoKeys, async (name, value) => {
        const literal = JSON.stringify(value);
        // What the literal spells: JSON has no -0, so fc's -0 reads back as 0.
        const expected: unknown = JSON.parse(literal);
        const forms = [
          `export default (${literal});`,
          `const ${name} = ${literal};\nexport { ${name} as default };`,
          `var ${name}=${literal};export{${name} as default};`,
          `export default function ${name}() { return ${literal}; }`,
          `export default class ${name} { static value = ${literal}; }`,
        ];

        const [expression, specifier, minified, fn, cls] = await Promise.all(forms.map(exported));

        expect([expression, specifier, minified]).toEqual([expected, expected, expected]);
        expect((fn as () => unknown)()).toEqual(expected);
        expect((cls as { value: unknown }).value).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});

describe('buildPluginScript', () => {
  it('refuses a body that tries to close its wrapper and run at the top level', () => {
    const body = toPluginBody('export default {};\n}; globalThis.escaped = true; (function () {');

    const script = body.ok ? buildPluginScript(body.body) : body;

    expect(script).toMatchObject({ ok: false, message: expect.stringContaining('not a valid ES module') });
  });

  it('refuses leftover named exports as a syntax error', () => {
    const body = toPluginBody('export const helper = 1;\nexport default {};');

    const script = body.ok ? buildPluginScript(body.body) : body;

    expect(script).toMatchObject({ ok: false });
  });
});

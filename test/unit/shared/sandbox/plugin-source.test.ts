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

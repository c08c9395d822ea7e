import { createHash } from 'node:crypto';

/** Name the rewritten module assigns its default export to, inside the plugin's own function. */
export const DEFAULT_EXPORT_BINDING = '__gradiantDefaultExport';

export type PluginSourceResult = { ok: true; body: string } | { ok: false; message: string };

const STATIC_IMPORT = /^[ \t]*import[ \t]*(?:[\w$*{]|["'])/m;
const NAMED_DECLARATION =
  /^([ \t]*)export[ \t]+default[ \t]+((?:async[ \t]+)?function[ \t]*\*?[ \t]*([A-Za-z_$][\w$]*)|class[ \t]+([A-Za-z_$][\w$]*))/m;
const EXPORT_DEFAULT = /^([ \t]*)export[ \t]+default\b/m;
const EXPORT_AS_DEFAULT =
  /^([ \t]*)export[ \t]*\{[ \t\n]*([A-Za-z_$][\w$]*)[ \t]+as[ \t]+default[ \t\n]*,?[ \t\n]*\}[ \t]*;?/m;
const DEFAULT_EXPORT_MESSAGE =
  'plugin must have exactly one default export, written at the start of a line (export default …)';
const EVERY_EXPORT_DEFAULT = /^[ \t]*export[ \t]+default\b/gm;
const EVERY_EXPORT_AS_DEFAULT = /^[ \t]*export[ \t]*\{[^}]*\bas[ \t\n]+default\b[^}]*\}/gm;

/**
 * Turns a bundled ES module into the body of a function, because a V8 `Module` cannot be reused
 * across contexts and compiling one per run races with module release in isolated-vm 7.0.1
 * (it aborts the process); a `Script` runs in any number of fresh contexts. Only the module forms
 * a bundler emits for a default export are rewritten; any other `import`/`export` left behind is a
 * syntax error when the body is compiled as a script, so nothing module-shaped slips through.
 */
export function toPluginBody(code: string): PluginSourceResult {
  if (STATIC_IMPORT.test(code)) {
    return { ok: false, message: 'plugin has a static import: bundle it into one module without imports' };
  }
  const defaults =
    (code.match(EVERY_EXPORT_DEFAULT)?.length ?? 0) + (code.match(EVERY_EXPORT_AS_DEFAULT)?.length ?? 0);
  if (defaults !== 1) {
    return { ok: false, message: DEFAULT_EXPORT_MESSAGE };
  }
  const declaration = NAMED_DECLARATION.exec(code);
  if (declaration) {
    const name = declaration[3] ?? declaration[4] ?? '';
    const rewritten = code.replace(
      NAMED_DECLARATION,
      (_match, indent: string, rest: string) => `${indent}${rest}`,
    );
    return { ok: true, body: `${rewritten}\n;${DEFAULT_EXPORT_BINDING} = ${name};` };
  }
  if (EXPORT_AS_DEFAULT.test(code)) {
    return {
      ok: true,
      body: code.replace(
        EXPORT_AS_DEFAULT,
        (_match, indent: string, name: string) => `${indent}${DEFAULT_EXPORT_BINDING} = ${name};`,
      ),
    };
  }
  if (EXPORT_DEFAULT.test(code)) {
    return {
      ok: true,
      body: code.replace(EXPORT_DEFAULT, (_match, indent: string) => `${indent}${DEFAULT_EXPORT_BINDING} =`),
    };
  }
  return { ok: false, message: DEFAULT_EXPORT_MESSAGE };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

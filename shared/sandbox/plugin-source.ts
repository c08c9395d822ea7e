import { createHash } from 'node:crypto';
import { type ExportNamedDeclaration, getLineInfo, type Program, parse } from 'acorn';
import { findModuleLoader } from './module-loaders.ts';

/** Name the rewritten module assigns its default export to, inside the plugin's own function. */
export const DEFAULT_EXPORT_BINDING = '__gradiantDefaultExport';

export type PluginSourceResult = { ok: true; body: string } | { ok: false; message: string };

const DEFAULT_EXPORT_MESSAGE = 'plugin must have exactly one default export';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

class Refusal extends Error {}

/**
 * Turns a bundled ES module into the body of a function, because a V8 `Module` cannot be reused
 * across contexts and compiling one per run races with module release in isolated-vm 7.0.1
 * (it aborts the process); a `Script` runs in any number of fresh contexts. The module is parsed
 * (acorn), so a string, comment, template or regex that spells `export default` or `import` is
 * never mistaken for one, and the rewrite slices the source at node positions. Anything that
 * would reach another module (imports, `import()`, `import.meta`, re-exports) or that a caller
 * could only reach as a named export is refused rather than dropped: the author learns at upload,
 * not from a plugin that silently lost a part.
 */
export function toPluginBody(code: string): PluginSourceResult {
  let program: Program;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'module', preserveParens: true });
  } catch (error) {
    return { ok: false, message: describeParseError(error) };
  }
  try {
    // Keywords cannot be spelled with escapes, so a source without the word has neither form and
    // skips the walk of every node (about a fifth of the parse time on a large bundle).
    const loader = code.includes('import') ? findModuleLoader(program) : undefined;
    if (loader)
      refuse(code, loader.at, `plugin uses ${loader.kind}: bundle it into one module without imports`);
    return { ok: true, body: rewrite(code, program) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    throw error;
  }
}

function rewrite(code: string, program: Program): string {
  const edits: Edit[] = [];
  // A live binding (`export { a as default }`, `export default function a`) is read after the
  // whole body ran, as an importer would see it; an exported expression is evaluated in place.
  let liveBinding: string | undefined;
  let defaults = 0;
  // Module code may open with a hashbang; a function body may not.
  if (code.startsWith('#!')) edits.push({ start: 0, end: lineEnd(code, 0), text: '' });
  for (const statement of program.body) {
    if (statement.type === 'ImportDeclaration') {
      refuse(code, statement.start, 'plugin has a static import: bundle it into one module without imports');
    } else if (statement.type === 'ExportAllDeclaration') {
      refuse(code, statement.start, 'plugin re-exports another module (export * from)');
    } else if (statement.type === 'ExportNamedDeclaration') {
      const local = defaultSpecifier(code, statement);
      if (local !== undefined) {
        defaults++;
        liveBinding = local;
      }
      edits.push(blank(code, statement.start, statement.end));
    } else if (statement.type === 'ExportDefaultDeclaration') {
      defaults++;
      const { declaration } = statement;
      const isDeclaration =
        declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration';
      if (isDeclaration && declaration.id) {
        liveBinding = declaration.id.name;
        edits.push(blank(code, statement.start, declaration.start));
      } else {
        // `BINDING = function () {}` turns a declaration into an expression: the `;` keeps a
        // following `(…)` from becoming a call of it.
        const keywords = blank(code, statement.start, declaration.start);
        const semicolon = blank(code, declaration.end, statement.end);
        edits.push({ ...keywords, text: `${DEFAULT_EXPORT_BINDING} =${keywords.text} ` });
        edits.push({ ...semicolon, text: `;${semicolon.text}` });
      }
    }
  }
  if (defaults !== 1) throw new Refusal(DEFAULT_EXPORT_MESSAGE);
  let body = applyEdits(code, edits);
  if (liveBinding !== undefined) body += `\n;${DEFAULT_EXPORT_BINDING} = ${liveBinding};`;
  return body;
}

/** The local name of `export { x as default }`; any other export is refused. */
function defaultSpecifier(code: string, statement: ExportNamedDeclaration): string | undefined {
  if (statement.source) refuse(code, statement.start, 'plugin re-exports another module (export … from)');
  if (statement.declaration || statement.specifiers.length > 1) refuseNamed(code, statement);
  const specifier = statement.specifiers[0];
  if (!specifier) return undefined;
  const exported =
    specifier.exported.type === 'Identifier' ? specifier.exported.name : specifier.exported.value;
  if (exported !== 'default' || specifier.local.type !== 'Identifier') refuseNamed(code, statement);
  return specifier.local.name;
}

function refuseNamed(code: string, statement: { readonly start: number }): never {
  refuse(code, statement.start, 'plugin has a named export: export only a default (export default …)');
}

function refuse(code: string, offset: number, message: string): never {
  const { line, column } = getLineInfo(code, offset);
  throw new Refusal(`${message} (line ${line}, column ${column + 1})`);
}

/**
 * Only the position: acorn's message can quote an identifier or a character of the source, and
 * plugin source is the author's property that may be echoed to other people.
 */
function describeParseError(error: unknown): string {
  if (error instanceof RangeError) return 'plugin is not a valid ES module: it is nested too deeply to parse';
  const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
  if (typeof loc?.line === 'number' && typeof loc.column === 'number') {
    return `plugin is not a valid ES module: syntax error at line ${loc.line}, column ${loc.column + 1}`;
  }
  return 'plugin is not a valid ES module: syntax error';
}

const LINE_BREAKS: ReadonlySet<string> = new Set(['\n', '\r', '\u2028', '\u2029']);

/** Removes a range but keeps its line breaks, so stack traces still point at the author's lines. */
function blank(code: string, start: number, end: number): Edit {
  const slice = code.slice(start, end);
  let text = '';
  for (const char of slice) if (LINE_BREAKS.has(char)) text += char;
  return { start, end, text };
}

function lineEnd(code: string, from: number): number {
  const newline = code.indexOf('\n', from);
  return newline === -1 ? code.length : newline;
}

function applyEdits(code: string, edits: readonly Edit[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start);
  let result = '';
  let position = 0;
  for (const edit of ordered) {
    result += code.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return result + code.slice(position);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

import { buildPluginScript } from './bootstrap.ts';
import { sha256Hex, toPluginBody } from './plugin-source.ts';

export type PreparedPlugin =
  | { ok: true; digest: string; source: string; lineOffset: number }
  | { ok: false; message: string };

const MAX_ENTRIES = 64;

/**
 * Rewriting and hashing the source is per code string, not per run: the cache is keyed by the
 * string itself (V8 hashes a string once), so a warm run pays one map lookup.
 */
export class PreparedPluginCache {
  readonly #entries = new Map<string, PreparedPlugin>();

  get(code: string): PreparedPlugin {
    const cached = this.#entries.get(code);
    if (cached) {
      this.#entries.delete(code);
      this.#entries.set(code, cached);
      return cached;
    }
    const prepared = preparePlugin(code);
    this.#entries.set(code, prepared);
    if (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    return prepared;
  }
}

/** The sandbox's loader: module → function body → script; `build` and `validate` run it offline. */
export function preparePlugin(code: string): PreparedPlugin {
  const body = toPluginBody(code);
  if (!body.ok) return body;
  const built = buildPluginScript(body.body);
  if (!built.ok) return built;
  const { source, lineOffset } = built.script;
  return { ok: true, digest: sha256Hex(source), source, lineOffset };
}

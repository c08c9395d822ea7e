import vm from 'node:vm';
import { toPluginBody } from '../../shared/sandbox/plugin-source.ts';

export interface VmHost {
  get(id: string): Promise<unknown>;
  search(criteria: unknown): Promise<unknown[]>;
}

/**
 * What the sandbox is compared with: the same plugin in node:vm, a new context per run and a
 * cached vm.Script, with the API as plain host functions (no isolation, no copies) unless `json`
 * asks for JSON both ways, as a careful node:vm integration would need.
 */
export class VmBaseline {
  readonly #script: vm.Script;

  constructor(code: string) {
    this.#script = VmBaseline.compile(code);
  }

  static compile(code: string): vm.Script {
    const body = toPluginBody(code);
    if (!body.ok) throw new Error(body.message);
    return new vm.Script(
      `(async function (inputJson, host, entry, isJson) {
        const plugin = await (async function () { let __gradiantDefaultExport;\n${body.body}\n;return __gradiantDefaultExport; })();
        const wrap = (value) => isJson ? value.then((text) => JSON.parse(text)) : value;
        const api = {
          patients: { get: (id) => wrap(host.get(id)), search: (criteria) => wrap(host.search(criteria)) },
        };
        const value = await plugin[entry](JSON.parse(inputJson), api);
        return isJson ? JSON.stringify(value) : value;
      })`,
      { filename: 'plugin.js' },
    );
  }

  static async runScript(
    script: vm.Script,
    inputJson: string,
    host: VmHost,
    isJson = false,
  ): Promise<unknown> {
    const context = vm.createContext({});
    const run = script.runInContext(context) as (
      inputJson: string,
      host: unknown,
      entry: string,
      isJson: boolean,
    ) => Promise<unknown>;
    const jsonHost = isJson
      ? {
          get: async (id: string) => JSON.stringify(await host.get(id)),
          search: async (criteria: unknown) =>
            JSON.stringify(await host.search(JSON.parse(JSON.stringify(criteria)))),
        }
      : host;
    const value = await run(inputJson, jsonHost, 'execute', isJson);
    return isJson ? JSON.parse(value as string) : value;
  }

  run(inputJson: string, host: VmHost, isJson = false): Promise<unknown> {
    return VmBaseline.runScript(this.#script, inputJson, host, isJson);
  }
}

import { afterAll, describe, expect, it } from 'vitest';
import { PLUGIN_API_METHODS } from '../../../../shared/domain/plugin-api.ts';
import { createTestSandbox } from '../../../support/sandbox/sandbox-harness.ts';

const { sandbox, run } = createTestSandbox();
afterAll(() => sandbox.dispose());

describe('the PluginApi type', () => {
  it('names exactly the methods of the api object the sandbox hands a plugin', async () => {
    const code = `export default {
      execute(input, api) {
        const shape = {};
        for (const group of Object.keys(api)) {
          shape[group] = Object.keys(api[group]).filter((key) => typeof api[group][key] === 'function');
        }
        return shape;
      },
    };`;

    const result = await run(code);

    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.value).toEqual(PLUGIN_API_METHODS);
  });
});

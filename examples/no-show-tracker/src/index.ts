import type { Plugin, PluginApi, PluginEvent } from 'gradiant-plugins/plugin';

const CANCELLATIONS_KEY = 'cancellations';

async function cancellationsOf(api: PluginApi): Promise<number> {
  const stored = await api.storage.get(CANCELLATIONS_KEY);
  return typeof stored === 'number' ? stored : 0;
}

/** Counts `appointment:cancelled` events; `execute` answers the count so far. */
const plugin: Plugin<unknown, { cancellations: number }> = {
  async onEvent(event: PluginEvent, api: PluginApi) {
    if (event.name !== 'appointment:cancelled') return null;
    const cancellations = (await cancellationsOf(api)) + 1;
    await api.storage.set(CANCELLATIONS_KEY, cancellations);
    return { cancellations };
  },

  async execute(_input: unknown, api: PluginApi) {
    return { cancellations: await cancellationsOf(api) };
  },
};

export default plugin;

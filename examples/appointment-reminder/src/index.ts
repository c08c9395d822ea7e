import type { JsonValue, Plugin, PluginApi, PluginEvent } from 'gradiant-plugins/plugin';

/** `POST /v1/plugins/appointment-reminder/invoke` with `{ "input": { "patientId", "start" } }`. */
interface ReminderInput {
  readonly patientId: string;
  readonly start: string;
}

const plugin: Plugin<ReminderInput> = {
  async execute(input: ReminderInput, api: PluginApi) {
    const patient = await api.patients.get(String(input.patientId));
    return {
      patientId: patient.id,
      reminder: `Dear ${patient.name ?? 'patient'}, see you on ${String(input.start)}.`,
    };
  },

  async onEvent(event: PluginEvent, api: PluginApi) {
    if (event.name !== 'appointment:scheduled') return null;
    const data = event.data as { appointmentId?: JsonValue } | null;
    await api.storage.set('last-scheduled', data?.appointmentId ?? null);
    return { remembered: true };
  },
};

export default plugin;

import type { Patient, Plugin, PluginApi } from 'gradiant-plugins/plugin';

/** The platform's cap on one search; a larger organisation needs a paging summary. */
const SEARCH_LIMIT = 1000;

/** `POST /v1/plugins/patient-summary/invoke` with `{ "input": {} }`: counts only, no names. */
interface PatientSummary {
  readonly total: number;
  readonly byGender: Record<string, number>;
}

const plugin: Plugin<unknown, PatientSummary> = {
  async execute(_input: unknown, api: PluginApi) {
    const patients: Patient[] = await api.patients.search({ limit: SEARCH_LIMIT });
    const byGender: Record<string, number> = {};
    for (const patient of patients) {
      const gender = patient.gender ?? 'unknown';
      byGender[gender] = (byGender[gender] ?? 0) + 1;
    }
    return { total: patients.length, byGender };
  },
};

export default plugin;

import type { PatientAuditIndex, PatientIndexEntry } from '../../../shared/ports/patient-audit-index.ts';

/** The patient index in memory, by tenant, patient and record; `failPuts` makes writes reject. */
export class InMemoryPatientAuditIndex implements PatientAuditIndex {
  readonly entries = new Map<string, PatientIndexEntry>();
  failPuts = 0;

  async put(entries: readonly PatientIndexEntry[]): Promise<void> {
    if (this.failPuts > 0) {
      this.failPuts -= 1;
      throw Object.assign(new Error('index unavailable'), { name: 'ProvisionedThroughputExceededException' });
    }
    for (const entry of entries)
      this.entries.set(`${entry.tenantId}/${entry.patientId}/${entry.event.id}`, entry);
  }
}

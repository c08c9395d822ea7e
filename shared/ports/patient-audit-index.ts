import type { PlatformEvent } from '../domain/platform-events.ts';

/** What a patient's index entry says of one record that touched them: enough for disclosures. */
export interface PatientIndexEntry {
  readonly tenantId: string;
  readonly patientId: string;
  /** The record's event, for its id, time and the pointer back to its outbox item. */
  readonly event: Pick<PlatformEvent, 'id' | 'time' | 'tenantId'>;
  readonly action: string;
  readonly outcome: string;
  readonly pluginId?: string | undefined;
  readonly version?: string | undefined;
  readonly publisherId?: string | undefined;
  /** The plugin API operations of the record that touched this patient (`patients.get`…). */
  readonly operations: readonly string[];
}

/** The per-patient index of audit records (accounting of disclosures); writing an entry twice is harmless. */
export interface PatientAuditIndex {
  /** Writes every entry, or rejects. */
  put(entries: readonly PatientIndexEntry[]): Promise<void>;
}

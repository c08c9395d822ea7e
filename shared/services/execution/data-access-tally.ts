import { type AuditedDataAccess, MAX_AUDITED_IDS } from '../../domain/platform-events.ts';

/** Most entries a run's record lists (the audit schema's bound); the API's operations stay well under. */
const MAX_ENTRIES = 100;

type Outcome = AuditedDataAccess['outcome'];

/** The ids one plugin API call touched: patients and appointments, ids only. */
export interface TouchedRecords {
  patient(id: string): void;
  appointment(id: string): void;
}

interface Tallied {
  readonly operation: string;
  readonly outcome: Outcome;
  readonly deniedPermission: string | undefined;
  count: number;
  readonly patientIds: Set<string>;
  readonly appointmentIds: Set<string>;
}

/**
 * One run's data access through the plugin API, for its audit record: each call the host served
 * and each call the sandbox refused, coalesced by operation and outcome (and the permission a
 * refusal lacked), with the patient and appointment ids it touched, capped at `MAX_AUDITED_IDS`.
 * A loop of ten thousand reads is one entry with its count, not ten thousand.
 */
export class DataAccessTally {
  private readonly tallied = new Map<string, Tallied>();

  /** Runs one call of `operation`, recording it as a success or a failure with what it touched. */
  async call<T>(operation: string, serve: (touched: TouchedRecords) => Promise<T>): Promise<T> {
    const patientIds: string[] = [];
    const appointmentIds: string[] = [];
    const touched: TouchedRecords = {
      patient: (id) => patientIds.push(id),
      appointment: (id) => appointmentIds.push(id),
    };
    try {
      const value = await serve(touched);
      this.add(operation, 'success', undefined, 1, patientIds, appointmentIds);
      return value;
    } catch (error) {
      this.add(operation, 'failure', undefined, 1, patientIds, appointmentIds);
      throw error;
    }
  }

  /** Calls the sandbox refused for want of `permission` (it reports them once per run, counted). */
  denied(operation: string, permission: string | undefined, count: number): void {
    this.add(operation, 'refused', permission, count, [], []);
  }

  /** Calls the sandbox served itself (events it kept for the run), counted. */
  served(operation: string, count: number): void {
    if (count > 0) this.add(operation, 'success', undefined, count, [], []);
  }

  entries(): AuditedDataAccess[] {
    return [...this.tallied.values()].map((entry) => ({
      operation: entry.operation,
      outcome: entry.outcome,
      count: entry.count,
      ...(entry.patientIds.size > 0 ? { patientIds: [...entry.patientIds] } : {}),
      ...(entry.appointmentIds.size > 0 ? { appointmentIds: [...entry.appointmentIds] } : {}),
      ...(entry.deniedPermission === undefined ? {} : { deniedPermission: entry.deniedPermission }),
    }));
  }

  private add(
    operation: string,
    outcome: Outcome,
    deniedPermission: string | undefined,
    count: number,
    patientIds: readonly string[],
    appointmentIds: readonly string[],
  ): void {
    const key = `${operation}\u0000${outcome}\u0000${deniedPermission ?? ''}`;
    let entry = this.tallied.get(key);
    if (!entry) {
      if (this.tallied.size >= MAX_ENTRIES) return;
      entry = {
        operation,
        outcome,
        deniedPermission,
        count: 0,
        patientIds: new Set(),
        appointmentIds: new Set(),
      };
      this.tallied.set(key, entry);
    }
    entry.count += count;
    addCapped(entry.patientIds, patientIds);
    addCapped(entry.appointmentIds, appointmentIds);
  }
}

function addCapped(ids: Set<string>, added: readonly string[]): void {
  for (const id of added) {
    if (ids.size >= MAX_AUDITED_IDS) return;
    ids.add(id);
  }
}

import type {
  Appointment,
  AppointmentChange,
  NewAppointment,
  Patient,
  PatientChanges,
  PatientSearchCriteria,
} from '../domain/ehr.ts';
import type { TenantId } from '../domain/identifiers.ts';

/** Whose EHR a call reaches, and until when it may keep trying (the run's deadline). */
export interface EhrCallScope {
  readonly tenantId: TenantId;
  /** Epoch milliseconds; retries (429, 5xx) and waits stop before it. */
  readonly deadlineAt: number;
}

/**
 * The hospital's EHR for one tenant at a time (FHIR R4 in production). Records the tenant's EHR
 * does not hold are `undefined`, never an error that would say more. Failures are DomainErrors
 * with the EHR_* codes of shared/domain/errors/ehr-errors.ts: EHR_NOT_CONNECTED (no connection
 * registered), EHR_CONFLICT (the record changed since it was read), EHR_RATE_LIMITED,
 * EHR_UNAVAILABLE (5xx, timeouts, unreachable, after retries), EHR_REFUSED (401 after one token
 * refresh, 403), EHR_REJECTED (the EHR refused the content: 400/422). Their messages carry ids and
 * statuses only, never an OperationOutcome's text.
 */
export interface EhrRepository {
  searchPatients(scope: EhrCallScope, criteria: PatientSearchCriteria): Promise<Patient[]>;
  getPatient(scope: EhrCallScope, patientId: string): Promise<Patient | undefined>;
  /** Reads the record, applies the changes to it (keeping every other field), writes it with If-Match. */
  updatePatient(
    scope: EhrCallScope,
    patientId: string,
    changes: PatientChanges,
  ): Promise<Patient | undefined>;
  getAppointment(scope: EhrCallScope, appointmentId: string): Promise<Appointment | undefined>;
  /** Creates a `booked` appointment with the patient (and practitioner) as participants. */
  createAppointment(scope: EhrCallScope, appointment: NewAppointment): Promise<Appointment>;
  /**
   * Reads the appointment, asks `decide` (a pure rule that may throw) what to change, applies that
   * to the record (keeping every other field) and writes it with If-Match on the version read.
   */
  changeAppointment(
    scope: EhrCallScope,
    appointmentId: string,
    decide: (current: Appointment) => AppointmentChange,
  ): Promise<Appointment | undefined>;
}

import type { Appointment, Patient, PatientChanges, PatientSearchCriteria } from '../domain/ehr.ts';
import type { TenantId } from '../domain/identifiers.ts';

/**
 * EHR data for one tenant at a time. Records of another tenant are simply absent (undefined),
 * never an error that would confirm they exist. Writes return the stored record.
 */
export interface EhrRepository {
  searchPatients(tenantId: TenantId, criteria: PatientSearchCriteria): Promise<Patient[]>;
  getPatient(tenantId: TenantId, patientId: string): Promise<Patient | undefined>;
  updatePatient(tenantId: TenantId, patientId: string, changes: PatientChanges): Promise<Patient | undefined>;
  getAppointment(tenantId: TenantId, appointmentId: string): Promise<Appointment | undefined>;
  /** Fails with APPOINTMENT_EXISTS when the id is taken. */
  createAppointment(tenantId: TenantId, appointment: Appointment): Promise<Appointment>;
  /** Replaces an existing appointment; undefined when it does not exist in this tenant. */
  replaceAppointment(tenantId: TenantId, appointment: Appointment): Promise<Appointment | undefined>;
  /** Seeding and imports: insert or replace. */
  putPatient(tenantId: TenantId, patient: Patient): Promise<void>;
  putAppointment(tenantId: TenantId, appointment: Appointment): Promise<void>;
}

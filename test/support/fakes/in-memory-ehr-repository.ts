import type {
  Appointment,
  Patient,
  PatientChanges,
  PatientSearchCriteria,
} from '../../../shared/domain/ehr.ts';
import { appointmentExists } from '../../../shared/domain/errors/ehr-errors.ts';
import type { TenantId } from '../../../shared/domain/identifiers.ts';
import type { EhrRepository } from '../../../shared/ports/ehr-repository.ts';

/** EHR records keyed by tenant, with the port's "other tenant's record is absent" semantics. */
export class InMemoryEhrRepository implements EhrRepository {
  readonly patients = new Map<string, Patient>();
  readonly appointments = new Map<string, Appointment>();

  async searchPatients(tenantId: TenantId, criteria: PatientSearchCriteria) {
    return [...this.patients.entries()]
      .filter(([key]) => key.startsWith(`${tenantId}/`))
      .map(([, patient]) => structuredClone(patient))
      .filter((patient) => !criteria.name || patient.name.toLowerCase().includes(criteria.name.toLowerCase()))
      .filter((patient) => !criteria.birthDate || patient.birthDate === criteria.birthDate)
      .slice(0, criteria.limit ?? 50);
  }

  async getPatient(tenantId: TenantId, patientId: string) {
    const found = this.patients.get(`${tenantId}/${patientId}`);
    return found ? structuredClone(found) : undefined;
  }

  async updatePatient(tenantId: TenantId, patientId: string, changes: PatientChanges) {
    const found = this.patients.get(`${tenantId}/${patientId}`);
    if (!found) return undefined;
    const updated = { ...found, ...changes };
    this.patients.set(`${tenantId}/${patientId}`, updated);
    return structuredClone(updated);
  }

  async getAppointment(tenantId: TenantId, appointmentId: string) {
    const found = this.appointments.get(`${tenantId}/${appointmentId}`);
    return found ? structuredClone(found) : undefined;
  }

  async createAppointment(tenantId: TenantId, appointment: Appointment) {
    if (this.appointments.has(`${tenantId}/${appointment.id}`)) throw appointmentExists();
    this.appointments.set(`${tenantId}/${appointment.id}`, structuredClone(appointment));
    return structuredClone(appointment);
  }

  async replaceAppointment(tenantId: TenantId, appointment: Appointment) {
    if (!this.appointments.has(`${tenantId}/${appointment.id}`)) return undefined;
    this.appointments.set(`${tenantId}/${appointment.id}`, structuredClone(appointment));
    return structuredClone(appointment);
  }

  async putPatient(tenantId: TenantId, patient: Patient) {
    this.patients.set(`${tenantId}/${patient.id}`, structuredClone(patient));
  }

  async putAppointment(tenantId: TenantId, appointment: Appointment) {
    this.appointments.set(`${tenantId}/${appointment.id}`, structuredClone(appointment));
  }
}

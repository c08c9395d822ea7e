import type {
  Appointment,
  AppointmentChange,
  NewAppointment,
  Patient,
  PatientChanges,
  PatientSearchCriteria,
} from '../../../shared/domain/ehr.ts';
import type { DomainError } from '../../../shared/domain/errors/domain-error.ts';
import { ehrConflict, ehrRejected } from '../../../shared/domain/errors/ehr-errors.ts';
import type { TenantId } from '../../../shared/domain/identifiers.ts';
import type { EhrCallScope, EhrRepository } from '../../../shared/ports/ehr-repository.ts';

/**
 * EHR records keyed by tenant, with the port's semantics: another tenant's record is absent, the
 * EHR assigns appointment ids and versions, a dangling patient reference is EHR_REJECTED (as a
 * FHIR server answers 422), and `failNext` makes the next call fail as a real EHR might.
 */
export class InMemoryEhrRepository implements EhrRepository {
  readonly patients = new Map<string, Patient>();
  readonly appointments = new Map<string, Appointment>();
  /** Scopes of every call, to check the deadline the host passes. */
  readonly scopes: EhrCallScope[] = [];
  /** Thrown (once) by the next call instead of serving it. */
  failNext: DomainError | undefined;
  private sequence = 0;

  async searchPatients(scope: EhrCallScope, criteria: PatientSearchCriteria) {
    this.enter(scope);
    const matches = (value: string | undefined, wanted: string | undefined) =>
      !wanted || (value ?? '').toLowerCase().includes(wanted.toLowerCase());
    return [...this.patients.entries()]
      .filter(([key]) => key.startsWith(`${scope.tenantId}/`))
      .map(([, patient]) => structuredClone(patient))
      .filter((patient) => matches(patient.name, criteria.name) && matches(patient.family, criteria.family))
      .filter((patient) => !criteria.given || patient.given.some((given) => matches(given, criteria.given)))
      .filter((patient) => !criteria.birthDate || patient.birthDate === criteria.birthDate)
      .filter((patient) => !criteria.gender || patient.gender === criteria.gender)
      .filter(
        (patient) =>
          !criteria.identifier ||
          patient.identifiers.some((id) =>
            [id.value, `${id.system}|${id.value}`].includes(criteria.identifier ?? ''),
          ),
      )
      .slice(0, criteria.limit ?? 50);
  }

  async getPatient(scope: EhrCallScope, patientId: string) {
    this.enter(scope);
    return this.patient(scope.tenantId, patientId);
  }

  async updatePatient(scope: EhrCallScope, patientId: string, changes: PatientChanges) {
    this.enter(scope);
    const found = this.patients.get(`${scope.tenantId}/${patientId}`);
    if (!found) return undefined;
    const given = changes.given ?? found.given;
    const family = changes.family ?? found.family;
    const renamed = changes.given !== undefined || changes.family !== undefined;
    const updated: Patient = {
      ...found,
      ...changes,
      given,
      ...(renamed ? { name: [...given, family].filter(Boolean).join(' ') } : {}),
      versionId: String(Number(found.versionId ?? '1') + 1),
    };
    this.patients.set(`${scope.tenantId}/${patientId}`, updated);
    return structuredClone(updated);
  }

  async getAppointment(scope: EhrCallScope, appointmentId: string) {
    this.enter(scope);
    return this.appointment(scope.tenantId, appointmentId);
  }

  async createAppointment(scope: EhrCallScope, wanted: NewAppointment) {
    this.enter(scope);
    if (!this.patients.has(`${scope.tenantId}/${wanted.patientId}`)) throw ehrRejected(422);
    const appointment: Appointment = {
      id: `appt-${++this.sequence}`,
      versionId: '1',
      status: 'booked',
      patientId: wanted.patientId,
      start: wanted.start,
      end: wanted.end,
      participants: [
        { type: 'Patient', id: wanted.patientId, status: 'accepted' },
        ...(wanted.practitionerId
          ? [{ type: 'Practitioner' as const, id: wanted.practitionerId, status: 'accepted' as const }]
          : []),
      ],
      ...(wanted.practitionerId ? { practitionerId: wanted.practitionerId } : {}),
      ...(wanted.type ? { type: wanted.type } : {}),
      ...(wanted.reason ? { reason: wanted.reason } : {}),
    };
    this.appointments.set(`${scope.tenantId}/${appointment.id}`, appointment);
    return structuredClone(appointment);
  }

  async changeAppointment(
    scope: EhrCallScope,
    appointmentId: string,
    decide: (current: Appointment) => AppointmentChange,
  ) {
    this.enter(scope);
    const key = `${scope.tenantId}/${appointmentId}`;
    const found = this.appointments.get(key);
    if (!found) return undefined;
    const change = decide(structuredClone(found));
    if (this.appointments.get(key) !== found) throw ehrConflict(`Appointment/${appointmentId}`);
    const changed: Appointment = {
      ...found,
      ...('status' in change
        ? {
            status: 'cancelled' as const,
            ...(change.cancellationReason === undefined
              ? {}
              : { cancellationReason: change.cancellationReason }),
          }
        : { start: change.start, end: change.end }),
      versionId: String(Number(found.versionId ?? '1') + 1),
    };
    this.appointments.set(key, changed);
    return structuredClone(changed);
  }

  /** The stored record, for a test's assertions (no call is counted). */
  patient(tenantId: TenantId, patientId: string): Patient | undefined {
    const found = this.patients.get(`${tenantId}/${patientId}`);
    return found ? structuredClone(found) : undefined;
  }

  appointment(tenantId: TenantId, appointmentId: string): Appointment | undefined {
    const found = this.appointments.get(`${tenantId}/${appointmentId}`);
    return found ? structuredClone(found) : undefined;
  }

  /** Seeds a patient; the lists a test leaves out are empty. */
  async putPatient(tenantId: TenantId, patient: Partial<Patient> & { id: string }) {
    this.patients.set(`${tenantId}/${patient.id}`, {
      identifiers: [],
      given: [],
      telecom: [],
      ...structuredClone(patient),
    });
  }

  /** Seeds an appointment; without participants, the patient is its one participant. */
  async putAppointment(
    tenantId: TenantId,
    appointment: Omit<Appointment, 'participants'> & Partial<Pick<Appointment, 'participants'>>,
  ) {
    this.appointments.set(`${tenantId}/${appointment.id}`, {
      participants: [{ type: 'Patient', id: appointment.patientId, status: 'accepted' }],
      ...structuredClone(appointment),
    });
  }

  private enter(scope: EhrCallScope): void {
    this.scopes.push(scope);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }
}

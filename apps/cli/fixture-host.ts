import { z } from 'zod';
import {
  type Appointment,
  AppointmentSchema,
  DEFAULT_PATIENT_SEARCH_LIMIT,
  NewAppointmentSchema,
  type Patient,
  PatientChangesSchema,
  PatientSchema,
  type PatientSearchCriteria,
  PatientSearchCriteriaSchema,
  RecordIdSchema,
} from '../../shared/domain/ehr.ts';
import { HostError } from '../../shared/sandbox/errors.ts';
import type { PluginHost } from '../../shared/sandbox/host.ts';
import { createInMemoryPluginStorage } from '../../shared/sandbox/in-memory-plugin-storage.ts';
import type { JsonValue } from '../../shared/sandbox/schemas.ts';
import { moveKeepingDuration, parseHostArgument } from '../../shared/services/execution/host-arguments.ts';

/** A fixture patient is a platform `Patient` (as `api.patients.get` answers it); the lists may be left out. */
const PatientFixtureSchema = PatientSchema.extend({
  identifiers: PatientSchema.shape.identifiers.default([]),
  given: PatientSchema.shape.given.default([]),
  telecom: PatientSchema.shape.telecom.default([]),
});
const AppointmentFixtureSchema = AppointmentSchema.extend({
  participants: AppointmentSchema.shape.participants.default([]),
});
const TenantFixtureSchema = z.object({
  patients: z.array(PatientFixtureSchema).default([]),
  appointments: z.array(AppointmentFixtureSchema).default([]),
});
/** The `run --fixtures` file: each tenant's patients and appointments, in the platform's record shapes. */
export const FixturesSchema = z.object({ tenants: z.record(z.string().min(1), TenantFixtureSchema) });
export type Fixtures = z.infer<typeof FixturesSchema>;

export const DEFAULT_TENANT_ID = 't-local';

/** The only tenant in the fixtures when there is exactly one, else the local default. */
export function defaultTenantOf(fixtures: Fixtures | undefined): string {
  const tenants = Object.keys(fixtures?.tenants ?? {});
  return tenants.length === 1 && tenants[0] ? tenants[0] : DEFAULT_TENANT_ID;
}

/** FHIR string search: case-insensitive and starting with the value. */
const startsWith = (actual: string | undefined, wanted: string): boolean =>
  actual?.toLowerCase().startsWith(wanted.toLowerCase()) === true;

/** The FHIR `Patient` search parameters the platform maps the criteria onto, over the fixture records. */
function matches(patient: Patient, criteria: PatientSearchCriteria): boolean {
  const names = [patient.name, patient.family, ...patient.given, ...(patient.name?.split(/\s+/) ?? [])];
  if (criteria.name !== undefined && !names.some((name) => startsWith(name, criteria.name as string))) {
    return false;
  }
  if (criteria.family !== undefined && !startsWith(patient.family, criteria.family)) return false;
  if (
    criteria.given !== undefined &&
    !patient.given.some((given) => startsWith(given, criteria.given as string))
  ) {
    return false;
  }
  if (criteria.birthDate !== undefined && patient.birthDate !== criteria.birthDate) return false;
  if (criteria.gender !== undefined && patient.gender !== criteria.gender) return false;
  if (criteria.identifier !== undefined) {
    const [system, value] = criteria.identifier.includes('|')
      ? criteria.identifier.split('|', 2)
      : [undefined, criteria.identifier];
    const found = patient.identifiers.some(
      (identifier) => identifier.value === value && (system === undefined || identifier.system === system),
    );
    if (!found) return false;
  }
  return true;
}

const copy = <T>(value: T): JsonValue => structuredClone(value) as unknown as JsonValue;

/**
 * An in-memory host over one tenant's fixtures, for running plugins locally. It checks arguments
 * with the platform host's own schemas and pages searches with its defaults (50 patients without
 * a `limit`, at most 1000), so a plugin that runs here is refused nothing more on the platform.
 * Only that tenant's records exist for it: another tenant's ids are simply not found.
 */
export function createFixtureHost(fixtures: Fixtures | undefined, tenantId: string): PluginHost {
  const tenant = fixtures?.tenants[tenantId];
  const patients = new Map<string, Patient>();
  const appointments = new Map<string, Appointment>();
  for (const patient of tenant?.patients ?? []) patients.set(patient.id, structuredClone(patient));
  for (const appointment of tenant?.appointments ?? []) {
    appointments.set(appointment.id, structuredClone(appointment));
  }
  const storage = new Map<string, JsonValue>();
  let nextAppointment = appointments.size + 1;
  const appointmentOf = (id: string) =>
    RecordIdSchema.safeParse(id).success ? appointments.get(id) : undefined;

  return {
    patients: {
      async search(raw) {
        const criteria = parseHostArgument(PatientSearchCriteriaSchema, raw, 'criteria');
        const limit = criteria.limit ?? DEFAULT_PATIENT_SEARCH_LIMIT;
        return [...patients.values()]
          .filter((patient) => matches(patient, criteria))
          .slice(0, limit)
          .map(copy) as JsonValue[];
      },
      async get(id) {
        const patient = RecordIdSchema.safeParse(id).success ? patients.get(id) : undefined;
        return patient && copy(patient);
      },
      async update(id, data) {
        const changes = parseHostArgument(PatientChangesSchema, data, 'changes');
        const patient = RecordIdSchema.safeParse(id).success ? patients.get(id) : undefined;
        if (!patient) return undefined;
        const updated: Patient = { ...patient, ...changes, id };
        if (changes.family !== undefined || changes.given !== undefined) {
          updated.name = [...updated.given, updated.family].filter(Boolean).join(' ') || patient.name;
        }
        patients.set(id, updated);
        return copy(updated);
      },
    },
    appointments: {
      async schedule(request) {
        const wanted = parseHostArgument(NewAppointmentSchema, request, 'appointment');
        if (!patients.has(wanted.patientId)) {
          throw new HostError('NotFound', `patient ${wanted.patientId} not found`);
        }
        let id = `a-${nextAppointment++}`;
        while (appointments.has(id)) id = `a-${nextAppointment++}`;
        const appointment: Appointment = {
          ...wanted,
          id,
          status: 'booked',
          participants: [{ type: 'Patient', id: wanted.patientId, status: 'accepted' }],
        };
        appointments.set(id, appointment);
        return copy(appointment);
      },
      async cancel(id, reason) {
        const appointment = appointmentOf(id);
        if (!appointment) return undefined;
        const cancelled: Appointment = { ...appointment, status: 'cancelled' };
        if (reason !== undefined) cancelled.cancellationReason = reason;
        appointments.set(id, cancelled);
        return copy(cancelled);
      },
      async reschedule(id, newTime) {
        const start = Date.parse(newTime);
        if (Number.isNaN(start)) throw new HostError('InvalidArgument', 'newTime must be an ISO date-time');
        const appointment = appointmentOf(id);
        if (!appointment) return undefined;
        const moved = { ...appointment, ...moveKeepingDuration(appointment, start) };
        appointments.set(id, moved);
        return copy(moved);
      },
    },
    storage: createInMemoryPluginStorage(storage),
    async fetch(url, init) {
      const response = await fetch(url, {
        method: init.method,
        headers: init.headers,
        body: init.body,
        redirect: 'error',
      });
      return {
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: await response.text(),
      };
    },
  };
}

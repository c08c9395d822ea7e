import { z } from 'zod';
import { HostError } from '../../shared/sandbox/errors.ts';
import type { PluginHost } from '../../shared/sandbox/host.ts';
import { createInMemoryPluginStorage } from '../../shared/sandbox/in-memory-plugin-storage.ts';
import type { JsonValue } from '../../shared/sandbox/schemas.ts';

type JsonObject = { [key: string]: JsonValue };

const PatientFixtureSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  birthDate: z.string(),
});
const AppointmentFixtureSchema = z.looseObject({
  id: z.string().min(1),
  patientId: z.string().min(1),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  status: z.string(),
});
const TenantFixtureSchema = z.object({
  patients: z.array(PatientFixtureSchema).default([]),
  appointments: z.array(AppointmentFixtureSchema).default([]),
});
export const FixturesSchema = z.object({ tenants: z.record(z.string().min(1), TenantFixtureSchema) });
export type Fixtures = z.infer<typeof FixturesSchema>;

export const DEFAULT_TENANT_ID = 't-local';

/** The only tenant in the fixtures when there is exactly one, else the local default. */
export function defaultTenantOf(fixtures: Fixtures | undefined): string {
  const tenants = Object.keys(fixtures?.tenants ?? {});
  return tenants.length === 1 && tenants[0] ? tenants[0] : DEFAULT_TENANT_ID;
}

function matches(record: JsonObject, criteria: JsonObject): boolean {
  return Object.entries(criteria).every(([field, wanted]) => {
    if (field === 'limit') return true;
    const actual = record[field];
    if (typeof wanted === 'string' && typeof actual === 'string') {
      return actual.toLowerCase().includes(wanted.toLowerCase());
    }
    return actual === wanted;
  });
}

/**
 * An in-memory host over one tenant's fixtures, for running plugins locally. Only that tenant's
 * records exist for it: another tenant's ids are simply not found, as on the platform.
 */
export function createFixtureHost(fixtures: Fixtures | undefined, tenantId: string): PluginHost {
  const tenant = fixtures?.tenants[tenantId];
  const patients = new Map<string, JsonObject>();
  const appointments = new Map<string, JsonObject>();
  for (const patient of tenant?.patients ?? [])
    patients.set(patient.id, structuredClone(patient) as JsonObject);
  for (const appointment of tenant?.appointments ?? []) {
    appointments.set(appointment.id, structuredClone(appointment) as JsonObject);
  }
  const storage = new Map<string, JsonValue>();
  let nextAppointment = appointments.size + 1;

  return {
    patients: {
      async search(criteria) {
        const limit = typeof criteria.limit === 'number' ? criteria.limit : Number.POSITIVE_INFINITY;
        return [...patients.values()].filter((patient) => matches(patient, criteria)).slice(0, limit);
      },
      async get(id) {
        return patients.get(id);
      },
      async update(id, data) {
        const patient = patients.get(id);
        if (!patient) return undefined;
        const updated = { ...patient, ...data, id };
        patients.set(id, updated);
        return updated;
      },
    },
    appointments: {
      async schedule(request) {
        if (typeof request.patientId !== 'string' || !patients.has(request.patientId)) {
          throw new HostError('NotFound', `patient ${String(request.patientId)} not found`);
        }
        let id = typeof request.id === 'string' ? request.id : `a-${nextAppointment++}`;
        while (typeof request.id !== 'string' && appointments.has(id)) id = `a-${nextAppointment++}`;
        if (appointments.has(id)) throw new HostError('InvalidArgument', `appointment ${id} already exists`);
        const appointment = { ...request, id, status: 'booked' };
        appointments.set(id, appointment);
        return appointment;
      },
      async cancel(id, reason) {
        const appointment = appointments.get(id);
        if (!appointment) return undefined;
        const cancelled: JsonObject = { ...appointment, status: 'cancelled' };
        if (reason !== undefined) cancelled.cancellationReason = reason;
        appointments.set(id, cancelled);
        return cancelled;
      },
      async reschedule(id, newTime) {
        const appointment = appointments.get(id);
        if (!appointment) return undefined;
        const duration = Date.parse(String(appointment.end)) - Date.parse(String(appointment.start));
        const start = new Date(newTime);
        const moved = {
          ...appointment,
          start: start.toISOString(),
          end: new Date(start.getTime() + duration).toISOString(),
        };
        appointments.set(id, moved);
        return moved;
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

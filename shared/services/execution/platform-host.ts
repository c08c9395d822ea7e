import { pluginActor } from '../../domain/actors.ts';
import {
  type Appointment,
  type AppointmentChange,
  NewAppointmentSchema,
  PatientChangesSchema,
  PatientSearchCriteriaSchema,
  RecordIdSchema,
} from '../../domain/ehr.ts';
import { type SeenVersion, seenVersionOf } from '../../domain/ehr-change.ts';
import { hasErrorCode } from '../../domain/errors/domain-error.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { PlatformEvent } from '../../domain/platform-events.ts';
import type { Clock } from '../../ports/clock.ts';
import type { EhrChangeLedger } from '../../ports/ehr-change-ledger.ts';
import type { EhrCallScope, EhrRepository } from '../../ports/ehr-repository.ts';
import type { WatchedRecord } from '../../ports/ehr-subscriptions.ts';
import type { IdGenerator } from '../../ports/id-generator.ts';
import type { Outbox } from '../../ports/outbox.ts';
import { HostError } from '../../sandbox/errors.ts';
import type { PluginHost, PluginStorage } from '../../sandbox/host.ts';
import type { JsonValue } from '../../sandbox/schemas.ts';
import { type AuditRetryPolicy, appendToOutbox } from '../audit/audit-trail.ts';
import { claimOwnChange } from '../ehr/claim-ehr-change.ts';
import { platformEvent } from '../platform-event.ts';
import { DataAccessTally, type TouchedRecords } from './data-access-tally.ts';
import { hostErrorForEhr } from './ehr-host-errors.ts';
import { moveKeepingDuration, parseHostArgument } from './host-arguments.ts';

export interface PlatformHostDependencies {
  readonly ehr: EhrRepository;
  /** Where each write's data event goes, to be delivered (bus, subscribers) by the outbox's stream. */
  readonly outbox: Outbox;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly auditRetry?: AuditRetryPolicy | undefined;
  /**
   * An event the outbox would not take after its retries, ids only: the write stands and the
   * plugin's call fails `Unavailable`, so the loss is known to both.
   */
  readonly onEventNotRecorded?: (event: { name: string; id: string }, error: unknown) => void;
  /**
   * The versions already turned into data events (shared with the EHR's notifications): a write's
   * event commits with its version's claim, so the EHR's notification of that same version emits
   * nothing. Absent (tests, fakes without versions), the event is appended on its own.
   */
  readonly changes?: EhrChangeLedger | undefined;
}

export interface PlatformHost extends PluginHost {
  /** Ids of patients the run read or changed (directly or through an appointment), for usage and audit. */
  touchedPatientIds(): string[];
  /** Every call the host served, by operation and outcome, with the ids each touched. */
  readonly dataAccess: DataAccessTally;
}

/**
 * The plugin API's data side for ONE tenant, over the EHR port. Every argument is validated with
 * the domain schemas; ids of another tenant's records are simply absent in this tenant's
 * partition, so they answer "not found" exactly like ids that do not exist. Each write appends
 * its platform event (ids only, whoever caused it) to the outbox right after the EHR write, so it
 * is delivered at least once to subscribed plugins like every other event. The EHR port commits
 * no outbox entries, so the two are not one transaction: an append that still fails after its
 * retries fails the call `Unavailable` (the write stands; the plugin learns its event is not
 * recorded). Every call is tallied (operation, outcome, ids touched) for the run's audit record.
 * EHR calls may keep retrying (429, 5xx) only until the run's deadline; their EHR_* failures
 * reach the plugin as typed HostErrors (ehr-host-errors.ts).
 */
export function createPlatformHost(
  scope: {
    tenantId: TenantId;
    pluginId: string;
    /** Epoch ms when the run's time limit ends: EHR retries and waits stop before it. */
    deadlineAt: number;
    storage?: PluginStorage | undefined;
    /** Outbound HTTP behind the egress guard; absent, network calls are refused. */
    fetch?: PluginHost['fetch'] | undefined;
  },
  deps: PlatformHostDependencies,
): PlatformHost {
  const { tenantId, pluginId } = scope;
  const { ehr } = deps;
  const ehrScope: EhrCallScope = { tenantId, deadlineAt: scope.deadlineAt };
  const dataAccess = new DataAccessTally();
  const touched = new Set<string>();
  /**
   * Serves one call within the tally; a write names its data event through `changed`, and the
   * event is appended once the tally has counted the write a success, which it is even when the
   * append then fails: the EHR changed, and the run's record must say so with the ids it touched.
   */
  const call = async <T>(
    operation: string,
    serve: (
      records: TouchedRecords,
      changed: (name: string, detail: Record<string, string>, written: WatchedRecord) => void,
    ) => Promise<T>,
  ): Promise<T> => {
    let dataEvent: PlatformEvent | undefined;
    let seen: SeenVersion | undefined;
    const value = await dataAccess.call(operation, (records) =>
      serve(
        {
          patient: (id) => {
            touched.add(id);
            records.patient(id);
          },
          appointment: (id) => records.appointment(id),
        },
        (name, detail, written) => {
          dataEvent = platformEvent(name, tenantId, { ...detail, causedBy: pluginActor(pluginId) }, deps);
          seen = seenVersionOf(written);
        },
      ).catch((error: unknown) => {
        throw hostErrorForEhr(error);
      }),
    );
    if (dataEvent) await record(dataEvent, seen);
    return value;
  };

  const record = async (event: PlatformEvent, seen: SeenVersion | undefined) => {
    try {
      if (deps.changes && seen) await claimOwnChange(deps.changes, tenantId, seen, event);
      else await appendToOutbox(deps, [event]);
    } catch (error) {
      deps.onEventNotRecorded?.({ name: event.name, id: event.id }, error);
      throw new HostError(
        'Unavailable',
        `event ${event.name} ${event.id} was not recorded; the change is saved`,
        {
          cause: error,
        },
      );
    }
  };

  /**
   * Reads, decides and writes one appointment in the EHR (If-Match on the version read). The
   * rule runs on the appointment as the EHR holds it, and the ids are tallied even when the rule
   * or the write then fails.
   */
  const changeAppointment = async (
    id: string,
    records: TouchedRecords,
    rule: (current: Appointment) => AppointmentChange,
  ): Promise<Appointment | undefined> => {
    if (!RecordIdSchema.safeParse(id).success) return undefined;
    return ehr.changeAppointment(ehrScope, id, (current) => {
      records.patient(current.patientId);
      records.appointment(current.id);
      return rule(current);
    });
  };

  return {
    ...(scope.fetch ? { fetch: trackedFetch(scope.fetch, dataAccess) } : {}),
    patients: {
      search: (criteria) =>
        call('patients.search', async (records) => {
          const patients = await ehr.searchPatients(
            ehrScope,
            parseHostArgument(PatientSearchCriteriaSchema, criteria, 'criteria'),
          );
          for (const patient of patients) records.patient(patient.id);
          return patients as unknown as JsonValue[];
        }),
      get: (id) =>
        call('patients.get', async (records) => {
          if (!RecordIdSchema.safeParse(id).success) return undefined;
          const patient = await ehr.getPatient(ehrScope, id);
          if (patient) records.patient(patient.id);
          return patient as JsonValue | undefined;
        }),
      update: (id, data) =>
        call('patients.update', async (records, changed) => {
          const changes = parseHostArgument(PatientChangesSchema, data, 'changes');
          if (!RecordIdSchema.safeParse(id).success) return undefined;
          const patient = await ehr.updatePatient(ehrScope, id, changes);
          if (!patient) return undefined;
          records.patient(patient.id);
          changed('patient:updated', { patientId: patient.id }, { type: 'Patient', record: patient });
          return patient as JsonValue;
        }),
    },
    appointments: {
      schedule: (request) =>
        call('appointments.schedule', async (records, changed) => {
          const wanted = parseHostArgument(NewAppointmentSchema, request, 'appointment');
          // The EHR checks the patient reference itself (no read first): a rejection is a
          // missing patient only if the patient is indeed absent, which one read then tells.
          let created: Appointment;
          try {
            created = await ehr.createAppointment(ehrScope, wanted);
          } catch (error) {
            if (hasErrorCode(error, 'EHR_REJECTED') && !(await ehr.getPatient(ehrScope, wanted.patientId))) {
              throw new HostError('NotFound', `patient ${wanted.patientId} not found`, { cause: error });
            }
            throw error;
          }
          records.patient(created.patientId);
          records.appointment(created.id);
          changed(
            'appointment:scheduled',
            { appointmentId: created.id, patientId: created.patientId },
            { type: 'Appointment', record: created },
          );
          return created as JsonValue;
        }),
      cancel: (id, reason) =>
        call('appointments.cancel', async (records, changed) => {
          const cancelled = await changeAppointment(id, records, () => ({
            status: 'cancelled',
            ...(reason === undefined ? {} : { cancellationReason: reason }),
          }));
          if (!cancelled) return undefined;
          changed(
            'appointment:cancelled',
            { appointmentId: cancelled.id, patientId: cancelled.patientId },
            { type: 'Appointment', record: cancelled },
          );
          return cancelled as JsonValue;
        }),
      reschedule: (id, newTime) =>
        call('appointments.reschedule', async (records, changed) => {
          const start = Date.parse(newTime);
          if (Number.isNaN(start)) throw new HostError('InvalidArgument', 'newTime must be an ISO date-time');
          const moved = await changeAppointment(id, records, (current) =>
            moveKeepingDuration(current, start),
          );
          if (!moved) return undefined;
          changed(
            'appointment:rescheduled',
            { appointmentId: moved.id, patientId: moved.patientId },
            { type: 'Appointment', record: moved },
          );
          return moved as JsonValue;
        }),
    },
    ...(scope.storage ? { storage: trackedStorage(scope.storage, dataAccess) } : {}),
    touchedPatientIds: () => [...touched],
    dataAccess,
  };
}

/** Outbound calls, tallied as `network.fetch` (the URL stays out: it may carry tenant data). */
function trackedFetch(fetch: NonNullable<PluginHost['fetch']>, tally: DataAccessTally): PluginHost['fetch'] {
  return (url, init) => tally.call('network.fetch', () => fetch(url, init));
}

/**
 * The plugin's storage, each call tallied (`storage.get`…; a write within the quota is a
 * `storage.set`). The size bookkeeping (`bytesUsed`) is the sandbox's, not the plugin's, and is not.
 */
function trackedStorage(storage: PluginStorage, tally: DataAccessTally): PluginStorage {
  const { setWithinQuota, bytesUsed } = storage;
  return {
    get: (key) => tally.call('storage.get', () => storage.get(key)),
    set: (key, value) => tally.call('storage.set', () => storage.set(key, value)),
    delete: (key) => tally.call('storage.delete', () => storage.delete(key)),
    list: (prefix) => tally.call('storage.list', () => storage.list(prefix)),
    ...(bytesUsed ? { bytesUsed: () => bytesUsed.call(storage) } : {}),
    ...(setWithinQuota
      ? {
          setWithinQuota: (key, value, quotaBytes) =>
            tally.call('storage.set', () => setWithinQuota.call(storage, key, value, quotaBytes)),
        }
      : {}),
  };
}

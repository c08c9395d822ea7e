import { z } from 'zod';
import { APPOINTMENT_STATUSES, type Appointment, type Patient } from './ehr.ts';
import type { NotificationRecordType } from './ehr-notification.ts';

/**
 * Which data event a version of an EHR record stands for, from the version seen before it. The
 * same rule serves a change the EHR notifies and a change a plugin made through the platform, so
 * whichever of the two claims a version first emits its event and the other emits nothing.
 */

export const DATA_EVENT_NAMES = [
  'patient:updated',
  'appointment:scheduled',
  'appointment:cancelled',
  'appointment:rescheduled',
] as const;
export type DataEventName = (typeof DATA_EVENT_NAMES)[number];

/** What of an appointment the rule compares: ids and times, no PHI. */
export const AppointmentSnapshotSchema = z.object({
  status: z.enum(APPOINTMENT_STATUSES),
  start: z.string().max(64).optional(),
  end: z.string().max(64).optional(),
});
export type AppointmentSnapshot = z.infer<typeof AppointmentSnapshotSchema>;

/** A record's version as seen, with what the rule needs of it. */
export type SeenVersion =
  | {
      readonly type: 'Patient';
      readonly id: string;
      readonly versionId: string;
      readonly patientId: string;
    }
  | {
      readonly type: 'Appointment';
      readonly id: string;
      readonly versionId: string;
      readonly patientId: string;
      readonly snapshot: AppointmentSnapshot;
    };

/** The record as the EHR answered it, as a seen version; undefined when it carries no version. */
export function seenVersionOf(
  observed: { type: 'Patient'; record: Patient } | { type: 'Appointment'; record: Appointment },
): SeenVersion | undefined {
  const { versionId } = observed.record;
  if (versionId === undefined) return undefined;
  if (observed.type === 'Patient') {
    return { type: 'Patient', id: observed.record.id, versionId, patientId: observed.record.id };
  }
  const { id, patientId, status, start, end } = observed.record;
  return {
    type: 'Appointment',
    id,
    versionId,
    patientId,
    snapshot: { status, ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) },
  };
}

/** What the ledger last recorded of a record: its version and, for appointments, the snapshot. */
export interface LedgerEntry {
  readonly type: NotificationRecordType;
  readonly id: string;
  readonly versionId: string;
  readonly snapshot?: AppointmentSnapshot | undefined;
}

/**
 * The event a new version stands for, given the entry seen before (undefined: first sight). A
 * patient's every new version is `patient:updated`; an appointment that became booked is
 * scheduled, one that became cancelled is cancelled (also on first sight: the platform may connect
 * after the booking), one whose start or end moved is rescheduled; any other change is no event.
 */
export function classifyChange(
  previous: LedgerEntry | undefined,
  current: SeenVersion,
): DataEventName | undefined {
  if (previous !== undefined && previous.versionId === current.versionId) return undefined;
  if (current.type === 'Patient') return 'patient:updated';
  const before = previous?.snapshot;
  const now = current.snapshot;
  if (now.status === 'booked' && before?.status !== 'booked') return 'appointment:scheduled';
  if (now.status === 'cancelled' && before?.status !== 'cancelled') return 'appointment:cancelled';
  if (
    before !== undefined &&
    now.status !== 'cancelled' &&
    (before.start !== now.start || before.end !== now.end)
  ) {
    return 'appointment:rescheduled';
  }
  return undefined;
}

/** The event's detail: ids only, as the plugin API's own writes emit them. */
export function dataEventDetail(version: SeenVersion): Record<string, string> {
  return version.type === 'Patient'
    ? { patientId: version.id }
    : { appointmentId: version.id, patientId: version.patientId };
}

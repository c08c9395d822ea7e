import type { Appointment as FhirAppointment } from '@medplum/fhirtypes';
import {
  type Appointment,
  type AppointmentChange,
  AppointmentSchema,
  type NewAppointment,
  PARTICIPANT_TYPES,
  type Participant,
  ParticipantSchema,
} from '../../domain/ehr.ts';
import {
  asObject,
  asObjects,
  asString,
  codeableText,
  type JsonObject,
  valid,
  withoutUndefined,
} from './fhir-values.ts';

const shape = AppointmentSchema.shape;
const PARTICIPANT_TYPE_SET: ReadonlySet<string> = new Set(PARTICIPANT_TYPES);

/**
 * `Type/id`, optionally absolute (`https://ehr/fhir/Patient/1`) or versioned (`…/_history/2`).
 * Contained (`#p1`), `urn:uuid:` and logical (identifier-only) references name no record of the
 * EHR's and are not participants.
 */
export function parseReference(reference: unknown): { type: string; id: string } | undefined {
  const text = asString(reference);
  if (!text || text.startsWith('#') || text.startsWith('urn:')) return undefined;
  const match = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(?:\/_history\/[^/]+)?$/.exec(
    text,
  );
  return match?.[1] && match[2] ? { type: match[1], id: match[2] } : undefined;
}

/**
 * A FHIR R4 `Appointment` as the plugin API's projection. One with no `Patient` participant is
 * not a patient appointment (undefined), as is one without a usable id or status.
 */
export function toAppointment(resource: unknown): Appointment | undefined {
  const raw = asObject(resource);
  if (raw?.resourceType !== 'Appointment') return undefined;
  const participants = asObjects(raw.participant)
    .map((participant) => {
      const actor = parseReference(asObject(participant.actor)?.reference);
      if (!actor || !PARTICIPANT_TYPE_SET.has(actor.type)) return undefined;
      return valid(ParticipantSchema, { type: actor.type, id: actor.id, status: participant.status });
    })
    .filter((participant): participant is Participant => participant !== undefined)
    .slice(0, 50);
  const patientId = participants.find((participant) => participant.type === 'Patient')?.id;
  if (!patientId) return undefined;
  const projection = {
    id: valid(shape.id, raw.id),
    versionId: valid(shape.versionId, asString(asObject(raw.meta)?.versionId)),
    patientId,
    status: valid(shape.status, raw.status),
    start: valid(shape.start, raw.start),
    end: valid(shape.end, raw.end),
    participants,
    practitionerId: participants.find((participant) => participant.type === 'Practitioner')?.id,
    type: valid(shape.type, codeableText(raw.appointmentType)),
    reason: valid(shape.reason, codeableText(asObjects(raw.reasonCode)[0])),
    cancellationReason: valid(shape.cancellationReason, codeableText(raw.cancelationReason)),
  };
  return valid(AppointmentSchema, withoutUndefined(projection));
}

/** A cancel or a move applied onto the EHR's own resource, keeping every other field. */
export function applyAppointmentChange(
  resource: FhirAppointment,
  change: AppointmentChange,
): FhirAppointment {
  const next = structuredClone(resource) as FhirAppointment & JsonObject;
  if ('status' in change) {
    next.status = 'cancelled';
    if (change.cancellationReason !== undefined) next.cancelationReason = { text: change.cancellationReason };
  } else {
    next.start = change.start;
    next.end = change.end;
  }
  return next;
}

/** The resource a schedule call creates: booked, with the patient (and practitioner) accepted. */
export function newAppointmentResource(appointment: NewAppointment): FhirAppointment {
  const participant: NonNullable<FhirAppointment['participant']> = [
    { actor: { reference: `Patient/${appointment.patientId}` }, status: 'accepted' },
  ];
  if (appointment.practitionerId) {
    participant.push({
      actor: { reference: `Practitioner/${appointment.practitionerId}` },
      status: 'accepted',
    });
  }
  return {
    resourceType: 'Appointment',
    status: 'booked',
    start: appointment.start,
    end: appointment.end,
    participant,
    ...(appointment.type ? { appointmentType: { text: appointment.type } } : {}),
    ...(appointment.reason ? { reasonCode: [{ text: appointment.reason }] } : {}),
  };
}

import { z } from 'zod';

/**
 * EHR records as the plugin API sees them: a small, stable projection of FHIR R4 `Patient` and
 * `Appointment` (shared/adapters/fhir maps one onto the other, field by field). Fields a real EHR
 * may leave out are optional; lists are always present (empty when the EHR sends none), so a
 * plugin never has to tell "absent" from "empty".
 */

/** A FHIR logical id (`[A-Za-z0-9\-\.]{1,64}`); "_" is kept for ids issued before FHIR. */
export const RecordIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an id of letters, digits, ".", "_" or "-"');

/** FHIR `date`: a year, a year and month, or a full date. */
export const FhirDateSchema = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');

export const GENDERS = ['male', 'female', 'other', 'unknown'] as const;

/** `Patient.identifier`: a medical record number, a national id… (`type` is its text or code). */
export const IdentifierSchema = z.object({
  system: z.string().max(500).optional(),
  value: z.string().min(1).max(200),
  use: z.enum(['usual', 'official', 'temp', 'secondary', 'old']).optional(),
  type: z.string().max(200).optional(),
});
export type Identifier = z.infer<typeof IdentifierSchema>;

export const CONTACT_POINT_SYSTEMS = ['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'] as const;

/** `Patient.telecom`. */
export const ContactPointSchema = z.object({
  system: z.enum(CONTACT_POINT_SYSTEMS),
  value: z.string().min(1).max(200),
  use: z.enum(['home', 'work', 'temp', 'old', 'mobile']).optional(),
});
export type ContactPoint = z.infer<typeof ContactPointSchema>;

export const PatientSchema = z.object({
  /** `Patient.id`. */
  id: RecordIdSchema,
  /** `Patient.meta.versionId`: the version this projection was read at. */
  versionId: z.string().max(64).optional(),
  identifiers: z.array(IdentifierSchema).max(50),
  /** The preferred name for display: the official (else usual, else first) name's text, or its given and family names. */
  name: z.string().min(1).max(300).optional(),
  /** The preferred name's family name. */
  family: z.string().max(200).optional(),
  /** The preferred name's given names, in order. */
  given: z.array(z.string().max(200)).max(10),
  birthDate: FhirDateSchema.optional(),
  gender: z.enum(GENDERS).optional(),
  /** The first current `phone` in telecom (mobile, then home, then any). */
  phone: z.string().max(200).optional(),
  /** The first current `email` in telecom. */
  email: z.string().max(200).optional(),
  telecom: z.array(ContactPointSchema).max(50),
});
export type Patient = z.infer<typeof PatientSchema>;

/**
 * What a plugin may change on a patient: the preferred name's family and given names, birth date,
 * gender, and the first phone and email. Everything else in the EHR's resource is kept as it is.
 */
export const PatientChangesSchema = z
  .object({
    family: z.string().min(1).max(200).optional(),
    given: z.array(z.string().min(1).max(200)).min(1).max(10).optional(),
    birthDate: FhirDateSchema.optional(),
    gender: z.enum(GENDERS).optional(),
    phone: z.string().min(1).max(200).optional(),
    email: z.string().min(1).max(200).optional(),
  })
  .strict();
export type PatientChanges = z.infer<typeof PatientChangesSchema>;

/** Criteria map onto FHIR `Patient` search parameters; `limit` caps the patients answered in all. */
export const PatientSearchCriteriaSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    family: z.string().min(1).max(200).optional(),
    given: z.string().min(1).max(200).optional(),
    birthDate: FhirDateSchema.optional(),
    /** `system|value`, or a value alone. */
    identifier: z.string().min(1).max(300).optional(),
    gender: z.enum(GENDERS).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type PatientSearchCriteria = z.infer<typeof PatientSearchCriteriaSchema>;

/** Patients answered when a search names no `limit`. */
export const DEFAULT_PATIENT_SEARCH_LIMIT = 50;

/** FHIR R4 `Appointment.status`, all of it: EHRs send every one. */
export const APPOINTMENT_STATUSES = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const PARTICIPANT_TYPES = [
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'RelatedPerson',
  'Device',
  'HealthcareService',
  'Location',
] as const;

/** `Appointment.participant`, one per actor reference. */
export const ParticipantSchema = z.object({
  type: z.enum(PARTICIPANT_TYPES),
  id: RecordIdSchema,
  status: z.enum(['accepted', 'declined', 'tentative', 'needs-action']),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const AppointmentSchema = z.object({
  /** `Appointment.id`. */
  id: RecordIdSchema,
  /** `Appointment.meta.versionId`. */
  versionId: z.string().max(64).optional(),
  /** The first `Patient` participant; an appointment without one is not a patient appointment and is not answered. */
  patientId: RecordIdSchema,
  status: z.enum(APPOINTMENT_STATUSES),
  /** Absent for proposed or wait-listed appointments. */
  start: z.iso.datetime({ offset: true }).optional(),
  end: z.iso.datetime({ offset: true }).optional(),
  participants: z.array(ParticipantSchema).max(50),
  /** The first `Practitioner` participant. */
  practitionerId: RecordIdSchema.optional(),
  /** `appointmentType` text (or its first coding's display or code). */
  type: z.string().max(200).optional(),
  /** The first `reasonCode` text (or its first coding's display or code). */
  reason: z.string().max(500).optional(),
  /** `cancelationReason` text, when cancelled. */
  cancellationReason: z.string().max(500).optional(),
});
export type Appointment = z.infer<typeof AppointmentSchema>;

/** What a plugin sends to schedule: the EHR assigns the id and the appointment is `booked`. */
export const NewAppointmentSchema = z
  .object({
    patientId: RecordIdSchema,
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    practitionerId: RecordIdSchema.optional(),
    type: z.string().min(1).max(200).optional(),
    reason: z.string().min(1).max(500).optional(),
  })
  .strict()
  .refine((appointment) => Date.parse(appointment.end) > Date.parse(appointment.start), {
    message: 'must be after start',
    path: ['end'],
  });
export type NewAppointment = z.infer<typeof NewAppointmentSchema>;

/** A change the plugin API makes to an existing appointment (cancel, or move). */
export type AppointmentChange =
  | { readonly status: 'cancelled'; readonly cancellationReason?: string | undefined }
  | { readonly start: string; readonly end: string };

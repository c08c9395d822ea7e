import { z } from 'zod';

/**
 * EHR records as the plugin API sees them. The fields map one to one onto FHIR R4 Patient
 * (id, name text, birthDate, gender, telecom) and Appointment (id, participant patient, start,
 * end, status, cancelationReason), so a FHIR adapter can implement the same port.
 */
export const RecordIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be an id of letters, digits, ".", "_" or "-"');

export const PatientSchema = z.object({
  id: RecordIdSchema,
  name: z.string().min(1).max(200),
  birthDate: z.iso.date(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(200).optional(),
});
export type Patient = z.infer<typeof PatientSchema>;

/** What a plugin may change on a patient: never the id. */
export const PatientChangesSchema = PatientSchema.omit({ id: true }).partial().strict();
export type PatientChanges = z.infer<typeof PatientChangesSchema>;

export const PatientSearchCriteriaSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    birthDate: z.iso.date().optional(),
    gender: PatientSchema.shape.gender,
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type PatientSearchCriteria = z.infer<typeof PatientSearchCriteriaSchema>;

export const APPOINTMENT_STATUSES = [
  'proposed',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
] as const;

export const AppointmentSchema = z.object({
  id: RecordIdSchema,
  patientId: RecordIdSchema,
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  status: z.enum(APPOINTMENT_STATUSES),
  type: z.string().max(100).optional(),
  practitionerId: RecordIdSchema.optional(),
  cancellationReason: z.string().max(500).optional(),
});
export type Appointment = z.infer<typeof AppointmentSchema>;

/** What a plugin sends to schedule: the platform assigns the id when none is given. */
export const NewAppointmentSchema = AppointmentSchema.omit({ status: true, cancellationReason: true })
  .extend({ id: RecordIdSchema.optional() })
  .strict()
  .refine((appointment) => Date.parse(appointment.end) > Date.parse(appointment.start), {
    message: 'must be after start',
    path: ['end'],
  });
export type NewAppointment = z.infer<typeof NewAppointmentSchema>;

import { DomainError } from './domain-error.ts';

/** EHR records, as the plugin API behind the sandbox changes them. */

export const appointmentExists = (cause?: unknown) =>
  new DomainError('APPOINTMENT_EXISTS', 'An appointment with this id already exists.', {
    field: 'id',
    cause,
  });

import type { z } from 'zod';
import type { Appointment, AppointmentChange } from '../../domain/ehr.ts';
import { HostError } from '../../sandbox/errors.ts';

/**
 * A plugin's argument checked with the platform's schema; a bad one is the plugin's
 * `InvalidArgument`, naming at most three fields and never their values (a value may be PHI). The platform host and the CLI's fixture host
 * both check with this, so `run` refuses exactly what the platform refuses.
 */
export function parseHostArgument<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.map(String).join('.') || what}: ${issue.message}`)
    .join('; ');
  throw new HostError('InvalidArgument', `invalid ${what}: ${fields}`);
}

/** The domain rule of a move: a cancelled or untimed appointment cannot move; its duration is kept. */
export function moveKeepingDuration(current: Appointment, start: number): AppointmentChange {
  if (current.status === 'cancelled') {
    throw new HostError('InvalidArgument', `appointment ${current.id} is cancelled`);
  }
  if (!current.start || !current.end) {
    throw new HostError('InvalidArgument', `appointment ${current.id} has no start and end to move`);
  }
  const duration = Date.parse(current.end) - Date.parse(current.start);
  return { start: new Date(start).toISOString(), end: new Date(start + duration).toISOString() };
}

import { z } from 'zod';

/** ISO weekday names, in the order `Intl.DateTimeFormat` `weekday: 'short'` (en-US) answers them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A zone name the runtime's own tz database knows (`Europe/Berlin`, `UTC`). The shape check keeps
 * out offsets (`+01:00`) and abbreviations (`CET` is ambiguous about DST rules across vendors).
 */
export function isIanaTimeZone(value: string): boolean {
  if (!/^(?:UTC|[A-Z][A-Za-z_-]+(?:\/[A-Za-z0-9_+-]+){1,2})$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const LOCAL_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const isLocalTimePair = (hours: { start: string; end: string }) =>
  LOCAL_TIME.test(hours.start) && LOCAL_TIME.test(hours.end);
const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** When the tenant normally works: `start` ≤ local time < `end` on the listed weekdays, in `timeZone`. */
export const BusinessHoursSchema = z
  .object({
    timeZone: z
      .string()
      .refine(isIanaTimeZone, 'must be an IANA time zone name such as Europe/Berlin or UTC'),
    weekdays: z.array(z.enum(WEEKDAYS)).min(1).max(7),
    start: z.string().regex(LOCAL_TIME, 'must be a local time HH:MM'),
    end: z.string().regex(LOCAL_TIME, 'must be a local time HH:MM'),
  })
  .strict()
  // A malformed time is already refused by its own field; only judge the order of two real times.
  .refine((hours) => !isLocalTimePair(hours) || minutesOf(hours.start) < minutesOf(hours.end), {
    message: 'must end after it starts (hours past midnight are not supported)',
    path: ['end'],
  });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;
export const minutesOfDay = minutesOf;

const enabled = z.boolean();
const windowSeconds = z.number().int().min(60).max(86_400);

/**
 * Thresholds of the access-pattern rules. Every rule fires when what it observes is strictly
 * greater than its threshold, and at most once per window per key.
 */
export const AccessMonitoringPolicySchema = z
  .object({
    /** Distinct patients one plugin reads in a minute, against its own EWMA baseline of active minutes. */
    patientRate: z
      .object({
        enabled,
        factor: z.number().min(1).max(1000),
        minimumPatients: z.number().int().min(1).max(1000),
        warmupMinutes: z.number().int().min(0).max(10_080),
        smoothing: z.number().gt(0).max(1),
      })
      .strict(),
    /** Permission denials (each run's coalesced count) for one plugin in a sliding window. */
    permissionDenials: z
      .object({ enabled, maxDenials: z.number().int().min(1).max(1_000_000), windowSeconds })
      .strict(),
    /** Distinct patients one plugin reads outside business hours in a sliding window. */
    offHoursBulk: z
      .object({ enabled, maxPatients: z.number().int().min(1).max(1000), windowSeconds })
      .strict(),
    /** Signature and provenance failures attributed to one publisher in a sliding window. */
    publisherFailures: z
      .object({ enabled, maxFailures: z.number().int().min(1).max(100_000), windowSeconds })
      .strict(),
    businessHours: BusinessHoursSchema,
  })
  .strict();
export type AccessMonitoringPolicy = z.infer<typeof AccessMonitoringPolicySchema>;

/**
 * Safe defaults: a plugin may read up to 20 patients a minute before its baseline matters, then
 * 5× its usual rate; 20 denials in 5 minutes; 50 patients in 10 minutes outside Mon–Fri 07:00–19:00
 * UTC; 5 verification failures of one publisher in an hour.
 */
export const DEFAULT_ACCESS_MONITORING: AccessMonitoringPolicy = {
  patientRate: { enabled: true, factor: 5, minimumPatients: 20, warmupMinutes: 30, smoothing: 0.2 },
  permissionDenials: { enabled: true, maxDenials: 20, windowSeconds: 300 },
  offHoursBulk: { enabled: true, maxPatients: 50, windowSeconds: 600 },
  publisherFailures: { enabled: true, maxFailures: 5, windowSeconds: 3600 },
  businessHours: {
    timeZone: 'UTC',
    weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '07:00',
    end: '19:00',
  },
};

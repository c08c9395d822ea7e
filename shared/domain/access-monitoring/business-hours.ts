import { type BusinessHours, minutesOfDay, WEEKDAYS, type Weekday } from './access-monitoring-policy.ts';

// One formatter per zone: constructing one costs far more than formatting with it.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The weekday and minute of the day at `at` on the wall clock of `timeZone` (DST by the tz database). */
export function localWeekdayAndMinute(at: Date, timeZone: string): { weekday: Weekday; minute: number } {
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((each) => each.type === type)?.value ?? '';
  const weekday = WEEKDAYS.find((day) => day === part('weekday').toLowerCase()) ?? 'mon';
  return { weekday, minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

export function isWithinBusinessHours(at: Date, hours: BusinessHours): boolean {
  const local = localWeekdayAndMinute(at, hours.timeZone);
  return (
    hours.weekdays.includes(local.weekday) &&
    local.minute >= minutesOfDay(hours.start) &&
    local.minute < minutesOfDay(hours.end)
  );
}

import { describe, expect, it } from 'vitest';
import {
  type AccessMonitoringPolicy,
  DEFAULT_ACCESS_MONITORING,
  WEEKDAYS as DEFAULT_WEEK,
} from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import { isWithinBusinessHours } from '../../../../../shared/domain/access-monitoring/business-hours.ts';
import { countOffHoursAccess } from '../../../../../shared/domain/access-monitoring/off-hours-bulk-rule.ts';
import { EMPTY_WINDOW } from '../../../../../shared/domain/access-monitoring/sliding-window.ts';
import { observation, runRule } from '../../../../support/access-monitoring.ts';

const berlin: AccessMonitoringPolicy['businessHours'] = {
  timeZone: 'Europe/Berlin',
  weekdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '08:00',
  end: '18:00',
};
const policy = {
  offHoursBulk: { ...DEFAULT_ACCESS_MONITORING.offHoursBulk, maxPatients: 10, windowSeconds: 600 },
  businessHours: berlin,
};

const accessAt = (isoTimes: string[], patientsEach: number) =>
  runRule(
    (state, each) => countOffHoursAccess(state, each, policy),
    isoTimes.map((iso, index) =>
      observation(`r-${index}`, {
        at: new Date(iso),
        patientIds: Array.from({ length: patientsEach }, (_, each) => `p-${index}-${each}`),
      }),
    ),
    EMPTY_WINDOW,
  ).findings;

describe('the off-hours bulk access rule', () => {
  it('fires on bulk access at night in the tenant’s zone', () => {
    // 23:00–23:02 in Berlin (UTC+1 in January).
    const findings = accessAt(['2030-01-07T22:00:00Z', '2030-01-07T22:01:00Z', '2030-01-07T22:02:00Z'], 4);

    expect(findings).toEqual([expect.objectContaining({ observed: 12, threshold: 10 })]);
    expect(findings[0]?.evidenceRecordIds).toEqual(['r-0', 'r-1', 'r-2']);
  });

  it('stays quiet for the same access during business hours', () => {
    const findings = accessAt(['2030-01-07T10:00:00Z', '2030-01-07T10:01:00Z', '2030-01-07T10:02:00Z'], 4);

    expect(findings).toEqual([]);
  });

  it('stays quiet at exactly the threshold off hours', () => {
    const findings = accessAt(['2030-01-12T10:00:00Z', '2030-01-12T10:01:00Z'], 5); // a Saturday

    expect(findings).toEqual([]);
  });

  it('follows the zone’s offset through the year: 06:30 UTC is 08:30 in a Berlin summer, 07:30 in winter', () => {
    expect(isWithinBusinessHours(new Date('2030-07-08T06:30:00Z'), berlin)).toBe(true);
    expect(isWithinBusinessHours(new Date('2030-01-07T06:30:00Z'), berlin)).toBe(false);
  });

  it('handles the hour skipped when daylight saving starts', () => {
    // 2030-03-31 in Berlin: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
    const everyDay = { ...berlin, weekdays: [...DEFAULT_WEEK], start: '02:30', end: '18:00' };

    expect(isWithinBusinessHours(new Date('2030-03-31T00:59:00Z'), everyDay)).toBe(false); // 01:59 CET
    expect(isWithinBusinessHours(new Date('2030-03-31T01:00:00Z'), everyDay)).toBe(true); // 03:00 CEST
  });

  it('reads the weekday in the tenant’s zone, not in UTC', () => {
    const tokyo = { ...berlin, timeZone: 'Asia/Tokyo', start: '00:00', end: '23:59' };

    // Friday 20:00 UTC is Saturday 05:00 in Tokyo.
    expect(isWithinBusinessHours(new Date('2030-01-11T20:00:00Z'), tokyo)).toBe(false);
    expect(isWithinBusinessHours(new Date('2030-01-11T10:00:00Z'), tokyo)).toBe(true);
  });
});

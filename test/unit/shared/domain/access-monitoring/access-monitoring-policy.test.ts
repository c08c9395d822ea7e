import { describe, expect, it } from 'vitest';
import {
  AccessMonitoringPolicySchema,
  DEFAULT_ACCESS_MONITORING,
  isIanaTimeZone,
} from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import {
  DEFAULT_TENANT_POLICY,
  StoredTenantPolicySchema,
  TenantPolicySchema,
} from '../../../../../shared/domain/tenant-policy.ts';

const withMonitoring = (accessMonitoring: unknown) =>
  TenantPolicySchema.safeParse({ ...DEFAULT_TENANT_POLICY, accessMonitoring });
const issuesOf = (result: ReturnType<typeof withMonitoring>) =>
  result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

describe('the tenant policy’s access monitoring section', () => {
  it('defaults a stored policy written before the section existed', () => {
    const { accessMonitoring: _omitted, ...legacy } = DEFAULT_TENANT_POLICY;

    const stored = StoredTenantPolicySchema.parse({ policy: legacy, version: 7 });

    expect(stored.policy.accessMonitoring).toEqual(DEFAULT_ACCESS_MONITORING);
    expect(AccessMonitoringPolicySchema.parse(DEFAULT_ACCESS_MONITORING)).toEqual(DEFAULT_ACCESS_MONITORING);
  });

  it('gives every legacy policy its own copy of the defaults', () => {
    const { accessMonitoring: _omitted, ...legacy } = DEFAULT_TENANT_POLICY;

    const first = TenantPolicySchema.parse(legacy);
    first.accessMonitoring.businessHours.weekdays.push('sat');

    expect(TenantPolicySchema.parse(legacy).accessMonitoring.businessHours.weekdays).not.toContain('sat');
  });

  it('refuses a time zone that is not an IANA name, naming the field', () => {
    const bad = ['Mars/Olympus_Mons', '+01:00', 'CET', 'europe berlin', ''];

    const results = bad.map((timeZone) =>
      issuesOf(
        withMonitoring({
          ...DEFAULT_ACCESS_MONITORING,
          businessHours: { ...DEFAULT_ACCESS_MONITORING.businessHours, timeZone },
        }),
      ),
    );

    for (const issues of results) {
      expect(issues).toEqual([
        {
          path: 'accessMonitoring.businessHours.timeZone',
          message: 'must be an IANA time zone name such as Europe/Berlin or UTC',
        },
      ]);
    }
  });

  it('accepts IANA zones with one, two or three segments', () => {
    expect(
      ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'].map(isIanaTimeZone),
    ).toEqual([true, true, true, true]);
  });

  it('refuses hours that end before they start, a malformed time and an unknown weekday', () => {
    const hours = (patch: Record<string, unknown>) =>
      issuesOf(
        withMonitoring({
          ...DEFAULT_ACCESS_MONITORING,
          businessHours: { ...DEFAULT_ACCESS_MONITORING.businessHours, ...patch },
        }),
      ).map((issue) => issue.path);

    expect(hours({ start: '19:00', end: '07:00' })).toEqual(['accessMonitoring.businessHours.end']);
    expect(hours({ start: '7:00' })).toEqual(['accessMonitoring.businessHours.start']);
    expect(hours({ weekdays: ['monday'] })).toEqual(['accessMonitoring.businessHours.weekdays.0']);
    expect(hours({ weekdays: [] })).toEqual(['accessMonitoring.businessHours.weekdays']);
  });

  it('bounds thresholds and refuses unknown members', () => {
    const paths = (accessMonitoring: unknown) =>
      issuesOf(withMonitoring(accessMonitoring)).map((issue) => issue.path);

    expect(
      paths({
        ...DEFAULT_ACCESS_MONITORING,
        patientRate: { ...DEFAULT_ACCESS_MONITORING.patientRate, factor: 0.5 },
      }),
    ).toEqual(['accessMonitoring.patientRate.factor']);
    expect(
      paths({
        ...DEFAULT_ACCESS_MONITORING,
        permissionDenials: { ...DEFAULT_ACCESS_MONITORING.permissionDenials, windowSeconds: 5 },
      }),
    ).toEqual(['accessMonitoring.permissionDenials.windowSeconds']);
    expect(paths({ ...DEFAULT_ACCESS_MONITORING, surprise: 1 })).toEqual(['accessMonitoring']);
  });
});

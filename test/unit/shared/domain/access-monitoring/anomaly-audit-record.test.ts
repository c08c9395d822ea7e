import { describe, expect, it } from 'vitest';
import { AuditRecordSchema } from '../../../../../shared/domain/platform-events.ts';

const PHI = 'Jane Doe, born 1961-04-02';

const anomalyRecord = {
  action: 'security:anomaly',
  outcome: 'success',
  actor: 'platform:access-monitor',
  tenantId: 't-one',
  pluginId: 'p1',
  code: 'DistinctPatientRate',
  anomaly: {
    rule: 'DistinctPatientRate',
    windowStart: '2030-01-07T12:00:00.000Z',
    windowEnd: '2030-01-07T12:01:00.000Z',
    observed: 60,
    threshold: 50,
  },
  evidenceRecordIds: ['0b6f3a52-5c1e-4b52-9d7b-1a2b3c4d5e6f'],
};

describe('the security:anomaly audit record', () => {
  it('keeps the rule, its figures and the evidence ids', () => {
    expect(AuditRecordSchema.parse(anomalyRecord)).toEqual(anomalyRecord);
  });

  it('records a PHI-looking evidence id or publisher as its length, never its text', () => {
    const parsed = AuditRecordSchema.parse({ ...anomalyRecord, evidenceRecordIds: [PHI], publisherId: PHI });

    expect(parsed.evidenceRecordIds).toEqual([`invalid:length=${PHI.length}`]);
    expect(parsed.publisherId).toBe(`invalid:length=${PHI.length}`);
    expect(JSON.stringify(parsed)).not.toContain('Jane');
  });

  it('refuses free text in the anomaly figures and an unknown rule', () => {
    const withAnomaly = (anomaly: Record<string, unknown>) =>
      AuditRecordSchema.safeParse({ ...anomalyRecord, anomaly: { ...anomalyRecord.anomaly, ...anomaly } })
        .success;

    expect(withAnomaly({ note: PHI })).toBe(false);
    expect(withAnomaly({ rule: PHI })).toBe(false);
    expect(withAnomaly({ windowStart: PHI })).toBe(false);
    expect(withAnomaly({ observed: PHI })).toBe(false);
  });

  it('caps the evidence it keeps', () => {
    const ids = Array.from({ length: 21 }, (_, index) => `r-${index}`);

    expect(AuditRecordSchema.safeParse({ ...anomalyRecord, evidenceRecordIds: ids }).success).toBe(false);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_MONITORING } from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import { ANOMALY_RULES, MAX_EVIDENCE_IDS } from '../../../../../shared/domain/access-monitoring/anomaly.ts';
import { evaluateRule } from '../../../../../shared/domain/access-monitoring/evaluate-rule.ts';
import { T0 } from '../../../../support/access-monitoring.ts';

// Low thresholds, every day off hours, so the properties see many findings.
const policy = {
  ...DEFAULT_ACCESS_MONITORING,
  patientRate: { ...DEFAULT_ACCESS_MONITORING.patientRate, minimumPatients: 1, factor: 1, warmupMinutes: 0 },
  permissionDenials: { ...DEFAULT_ACCESS_MONITORING.permissionDenials, maxDenials: 1 },
  offHoursBulk: { ...DEFAULT_ACCESS_MONITORING.offHoursBulk, maxPatients: 1 },
  publisherFailures: { ...DEFAULT_ACCESS_MONITORING.publisherFailures, maxFailures: 1 },
  businessHours: {
    ...DEFAULT_ACCESS_MONITORING.businessHours,
    weekdays: ['sun' as const],
    start: '00:00',
    end: '00:01',
  },
};

const records = fc.array(
  fc.record({
    id: fc.stringMatching(/^[a-z0-9]{1,8}$/),
    offsetSeconds: fc.integer({ min: 0, max: 4 * 3600 }),
    weight: fc.integer({ min: 1, max: 50 }),
    patientIds: fc.array(fc.stringMatching(/^p[0-9]{1,3}$/), { maxLength: 30 }),
  }),
  { maxLength: 80 },
);

describe('anomaly evidence', () => {
  it('is always a capped, duplicate-free subset of the ids of the records counted', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ANOMALY_RULES), records, (rule, inputs) => {
        let state: unknown;
        const inputIds = new Set(inputs.map((input) => input.id));
        for (const input of inputs) {
          const step = evaluateRule(
            rule,
            state,
            {
              recordId: input.id,
              at: new Date(T0 + input.offsetSeconds * 1000),
              weight: input.weight,
              patientIds: input.patientIds,
            },
            policy,
          );
          state = JSON.parse(JSON.stringify(step.state ?? null));
          const evidence = step.finding?.evidenceRecordIds ?? [];
          expect(evidence.length).toBeLessThanOrEqual(MAX_EVIDENCE_IDS);
          expect(new Set(evidence).size).toBe(evidence.length);
          for (const id of evidence) expect(inputIds.has(id)).toBe(true);
        }
      }),
    );
  });
});

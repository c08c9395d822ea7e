import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_MONITORING } from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import type { AccessObservation } from '../../../../../shared/domain/access-monitoring/observation.ts';
import {
  countPatientAccess,
  type PatientRateState,
} from '../../../../../shared/domain/access-monitoring/patient-rate-rule.ts';
import { observation, runRule } from '../../../../support/access-monitoring.ts';

const policy = { ...DEFAULT_ACCESS_MONITORING.patientRate, factor: 3, minimumPatients: 10, warmupMinutes: 3 };

const run = (observations: AccessObservation[], start?: PatientRateState) =>
  runRule<PatientRateState | undefined>(
    (state, each) => countPatientAccess(state, each, policy),
    observations,
    start,
  );

/** `minutes` minutes with `patients` distinct patients each: a warm baseline of that size. */
const history = (minutes: number, patients: number) =>
  Array.from({ length: minutes }, (_, minute) =>
    observation(`h-${minute}`, { seconds: minute * 60, patients }),
  );

describe('the distinct-patients-per-minute rule', () => {
  it('fires when a warm plugin reads far more patients in a minute than its baseline', () => {
    const warm = run(history(5, 8));

    const { findings } = run([observation('burst', { seconds: 5 * 60, patients: 25 })], warm.state);

    expect(findings).toEqual([
      expect.objectContaining({ observed: 25, threshold: 24, evidenceRecordIds: ['burst'] }),
    ]);
  });

  it('stays quiet when the minute is within factor × baseline', () => {
    const warm = run(history(5, 8));

    const { findings } = run([observation('usual', { seconds: 5 * 60, patients: 20 })], warm.state);

    expect(findings).toEqual([]);
  });

  it('stays quiet at exactly the threshold and fires one patient above it', () => {
    const warm = run(history(5, 8)).state;

    const atThreshold = run([observation('at', { seconds: 300, patients: 24 })], warm);
    const above = run([observation('above', { seconds: 300, patients: 25 })], warm);

    expect(atThreshold.findings).toEqual([]);
    expect(above.findings).toHaveLength(1);
  });

  it('holds a tiny baseline to the absolute floor, so 3 patients never fire', () => {
    const warm = run(history(5, 1)).state;

    const small = run([observation('small', { seconds: 300, patients: 3 })], warm);
    const pastFloor = run([observation('large', { seconds: 300, patients: 11 })], warm);

    expect(small.findings).toEqual([]);
    expect(pastFloor.findings).toEqual([expect.objectContaining({ threshold: 10 })]);
  });

  it('uses factor × floor while warming up, then the baseline', () => {
    const cold = run(history(2, 1)).state;
    const warm = run(history(3, 1)).state;

    const duringWarmup = run([observation('x', { seconds: 300, patients: 25 })], cold);
    const afterWarmup = run([observation('x', { seconds: 300, patients: 25 })], warm);

    expect(duringWarmup.findings).toEqual([]);
    expect(afterWarmup.findings).toEqual([expect.objectContaining({ observed: 25, threshold: 10 })]);
  });

  it('counts distinct patients across the records of one minute and fires once per minute', () => {
    const warm = run(history(5, 2)).state;
    const minute = Array.from({ length: 6 }, (_, index) =>
      observation(`r-${index}`, { seconds: 300 + index, patientIds: [`a-${index}`, `b-${index}`, 'shared'] }),
    );

    const { findings } = run(minute, warm);

    expect(findings).toEqual([
      expect.objectContaining({ observed: 11, evidenceRecordIds: ['r-0', 'r-1', 'r-2', 'r-3', 'r-4'] }),
    ]);
  });

  it('does not count a replayed record twice, nor a record of a minute already closed', () => {
    const warm = run(history(5, 2)).state;
    const first = run([observation('r', { seconds: 300, patients: 9 })], warm).state;

    const replay = countPatientAccess(first, observation('r', { seconds: 300, patients: 9 }), policy);
    const late = countPatientAccess(first, observation('old', { seconds: 10, patients: 50 }), policy);

    expect(replay).toMatchObject({ isCounted: false, state: first });
    expect(late).toMatchObject({ isCounted: false, state: first });
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_MONITORING } from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import { countPublisherFailure } from '../../../../../shared/domain/access-monitoring/publisher-failure-rule.ts';
import { EMPTY_WINDOW } from '../../../../../shared/domain/access-monitoring/sliding-window.ts';
import { observation, runRule } from '../../../../support/access-monitoring.ts';

const policy = { ...DEFAULT_ACCESS_MONITORING.publisherFailures, maxFailures: 3, windowSeconds: 3600 };

const failures = (count: number, spacingSeconds: number) =>
  runRule(
    (state, each) => countPublisherFailure(state, each, policy),
    Array.from({ length: count }, (_, index) =>
      observation(`f-${index}`, { seconds: index * spacingSeconds }),
    ),
    EMPTY_WINDOW,
  ).findings;

describe('the repeated publisher verification failure rule', () => {
  it('fires on the failure past the threshold within the window', () => {
    const findings = failures(4, 600);

    expect(findings).toEqual([
      expect.objectContaining({ observed: 4, threshold: 3, evidenceRecordIds: ['f-0', 'f-1', 'f-2', 'f-3'] }),
    ]);
  });

  it('stays quiet at the threshold and when failures are an hour or more apart', () => {
    expect(failures(3, 600)).toEqual([]);
    expect(failures(10, 3600)).toEqual([]);
  });

  it('counts each failure once whatever its weight', () => {
    const step = countPublisherFailure(EMPTY_WINDOW, observation('f', { weight: 50 }), policy);

    expect(step.finding).toBeUndefined();
    expect(step.state.entries).toEqual([expect.objectContaining({ id: 'f', weight: 1 })]);
  });
});

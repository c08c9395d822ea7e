import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_MONITORING } from '../../../../../shared/domain/access-monitoring/access-monitoring-policy.ts';
import type { AccessObservation } from '../../../../../shared/domain/access-monitoring/observation.ts';
import { countPermissionDenial } from '../../../../../shared/domain/access-monitoring/permission-denial-rule.ts';
import {
  EMPTY_WINDOW,
  type WindowState,
} from '../../../../../shared/domain/access-monitoring/sliding-window.ts';
import { observation, runRule } from '../../../../support/access-monitoring.ts';

const policy = { ...DEFAULT_ACCESS_MONITORING.permissionDenials, maxDenials: 10, windowSeconds: 300 };

const run = (observations: AccessObservation[], start: WindowState = EMPTY_WINDOW) =>
  runRule((state, each) => countPermissionDenial(state, each, policy), observations, start);

describe('the permission-denial burst rule', () => {
  it('fires when the coalesced denials in the window exceed the threshold', () => {
    const runs = [
      observation('d-1', { seconds: 0, weight: 4 }),
      observation('d-2', { seconds: 60, weight: 4 }),
      observation('d-3', { seconds: 120, weight: 3 }),
    ];

    const { findings } = run(runs);

    expect(findings).toEqual([
      expect.objectContaining({ observed: 11, threshold: 10, evidenceRecordIds: ['d-1', 'd-2', 'd-3'] }),
    ]);
  });

  it('stays quiet at exactly the threshold', () => {
    const { findings } = run([
      observation('d-1', { weight: 6 }),
      observation('d-2', { seconds: 10, weight: 4 }),
    ]);

    expect(findings).toEqual([]);
  });

  it('stays quiet when the denials are spread wider than the window', () => {
    const spread = Array.from({ length: 12 }, (_, index) =>
      observation(`d-${index}`, { seconds: index * 100 }),
    );

    const { findings } = run(spread);

    expect(findings).toEqual([]);
  });

  it('raises one anomaly per window for a continuing burst, not one per record', () => {
    const burst = Array.from({ length: 40 }, (_, index) => observation(`d-${index}`, { seconds: index }));

    const { findings } = run(burst);

    expect(findings).toHaveLength(1);
  });

  it('does not count a replayed record id again', () => {
    const once = run([observation('d-1', { weight: 10 })]).state;

    const replay = countPermissionDenial(once, observation('d-1', { weight: 10 }), policy);

    expect(replay).toMatchObject({ isCounted: false, state: once });
  });
});

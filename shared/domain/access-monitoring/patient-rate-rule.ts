import { z } from 'zod';
import type { AccessMonitoringPolicy } from './access-monitoring-policy.ts';
import { capEvidence } from './anomaly.ts';
import {
  type AccessObservation,
  MAX_TRACKED_PATIENTS,
  MAX_WINDOW_ENTRIES,
  type RuleStep,
} from './observation.ts';

const MINUTE_MS = 60_000;

/**
 * One plugin's patient rate: the minute being counted (its distinct patients and record ids) and an
 * EWMA of the distinct patients of the minutes it was active in before. Idle minutes do not pull the
 * baseline down, so a plugin that runs every few minutes is compared with its runs, not its pauses.
 */
export const PatientRateStateSchema = z.object({
  minuteStartMs: z.number(),
  patientIds: z.array(z.string()).max(MAX_TRACKED_PATIENTS),
  recordIds: z.array(z.string()).max(MAX_WINDOW_ENTRIES),
  baseline: z.number().nonnegative().optional(),
  activeMinutes: z.number().int().nonnegative(),
  hasFired: z.boolean(),
});
export type PatientRateState = z.infer<typeof PatientRateStateSchema>;

/**
 * The threshold the current minute is held to: `max(minimumPatients, factor × baseline)` once the
 * plugin has `warmupMinutes` active minutes behind it; before that, `factor × minimumPatients`, so
 * a new plugin neither fires on 3 patients nor gets a free pass while it has no history.
 */
export function patientRateThreshold(
  state: PatientRateState | undefined,
  policy: AccessMonitoringPolicy['patientRate'],
): number {
  const isWarm = state?.baseline !== undefined && state.activeMinutes >= policy.warmupMinutes;
  if (!isWarm) return policy.factor * policy.minimumPatients;
  return Math.max(policy.minimumPatients, policy.factor * (state?.baseline ?? 0));
}

function closeMinute(state: PatientRateState, smoothing: number): PatientRateState['baseline'] {
  const count = state.patientIds.length;
  return state.baseline === undefined ? count : smoothing * count + (1 - smoothing) * state.baseline;
}

/**
 * Counts one record's patients into its minute. A record of a minute already closed is too late to
 * change the baseline and counts nothing; a record id already counted this minute is not counted again.
 */
export function countPatientAccess(
  previous: PatientRateState | undefined,
  observation: AccessObservation,
  policy: AccessMonitoringPolicy['patientRate'],
): RuleStep<PatientRateState | undefined> {
  if (observation.patientIds.length === 0) return { state: previous, isCounted: false };
  const minuteStartMs = Math.floor(observation.at.getTime() / MINUTE_MS) * MINUTE_MS;
  if (previous && minuteStartMs < previous.minuteStartMs) return { state: previous, isCounted: false };
  if (previous?.minuteStartMs === minuteStartMs && previous.recordIds.includes(observation.recordId)) {
    return { state: previous, isCounted: false };
  }
  const base: PatientRateState =
    previous === undefined
      ? { minuteStartMs, patientIds: [], recordIds: [], activeMinutes: 0, hasFired: false }
      : previous.minuteStartMs === minuteStartMs
        ? previous
        : {
            minuteStartMs,
            patientIds: [],
            recordIds: [],
            baseline: closeMinute(previous, policy.smoothing),
            activeMinutes: previous.activeMinutes + 1,
            hasFired: false,
          };
  const patientIds = [...new Set([...base.patientIds, ...observation.patientIds])].slice(
    0,
    MAX_TRACKED_PATIENTS,
  );
  const recordIds = [...base.recordIds, observation.recordId].slice(-MAX_WINDOW_ENTRIES);
  const state: PatientRateState = { ...base, patientIds, recordIds };
  const threshold = patientRateThreshold(base, policy);
  if (patientIds.length <= threshold || base.hasFired) return { state, isCounted: true };
  return {
    state: { ...state, hasFired: true },
    isCounted: true,
    finding: {
      windowStart: new Date(minuteStartMs),
      windowEnd: new Date(minuteStartMs + MINUTE_MS),
      observed: patientIds.length,
      threshold,
      evidenceRecordIds: capEvidence(recordIds),
    },
  };
}

import { z } from 'zod';
import { capEvidence } from './anomaly.ts';
import {
  type AccessObservation,
  MAX_TRACKED_PATIENTS,
  MAX_WINDOW_ENTRIES,
  type RuleStep,
} from './observation.ts';

const WindowEntrySchema = z.object({
  id: z.string(),
  atMs: z.number(),
  weight: z.number().int().min(1),
  patientIds: z.array(z.string()).optional(),
});

/** The records of one key still inside its window, and until when it stays quiet after firing. */
export const WindowStateSchema = z.object({
  entries: z.array(WindowEntrySchema).max(MAX_WINDOW_ENTRIES),
  quietUntilMs: z.number().optional(),
});
export type WindowState = z.infer<typeof WindowStateSchema>;

export const EMPTY_WINDOW: WindowState = { entries: [] };

export interface WindowRule {
  readonly windowSeconds: number;
  readonly threshold: number;
  /** What the rule counts over the entries in the window. */
  readonly measure: 'weight' | 'distinct-patients';
}

function measureOf(entries: WindowState['entries'], measure: WindowRule['measure']): number {
  if (measure === 'weight') return entries.reduce((sum, entry) => sum + entry.weight, 0);
  return new Set(entries.flatMap((entry) => entry.patientIds ?? [])).size;
}

/** Keeps the newest entries within both caps (entries, tracked patient ids). */
function bounded(entries: WindowState['entries']): WindowState['entries'] {
  const kept: WindowState['entries'] = [];
  let patients = 0;
  for (let index = entries.length - 1; index >= 0 && kept.length < MAX_WINDOW_ENTRIES; index -= 1) {
    const entry = entries[index];
    if (!entry) continue;
    patients += entry.patientIds?.length ?? 0;
    if (patients > MAX_TRACKED_PATIENTS && kept.length > 0) break;
    kept.unshift(entry);
  }
  return kept;
}

/**
 * Counts one record into a sliding window of `windowSeconds` ending at the record's time, and
 * finds an anomaly when the measure exceeds the threshold. Counting is idempotent: a record id
 * already in the window is not counted again, and a record older than the window counts nothing.
 * After it fires, a key stays quiet for one window, so a burst is one anomaly, not one per record.
 */
export function countIntoWindow(
  state: WindowState,
  observation: AccessObservation,
  rule: WindowRule,
): RuleStep<WindowState> {
  const atMs = observation.at.getTime();
  const windowMs = rule.windowSeconds * 1000;
  const newestMs = Math.max(atMs, ...state.entries.map((entry) => entry.atMs));
  const isLate = atMs <= newestMs - windowMs;
  if (isLate || state.entries.some((entry) => entry.id === observation.recordId)) {
    return { state, isCounted: false };
  }
  const entry = {
    id: observation.recordId,
    atMs,
    weight: Math.max(1, Math.trunc(observation.weight)),
    ...(rule.measure === 'distinct-patients'
      ? { patientIds: [...new Set(observation.patientIds)].slice(0, MAX_TRACKED_PATIENTS) }
      : {}),
  };
  const entries = bounded(
    [...state.entries, entry]
      .filter((each) => each.atMs > newestMs - windowMs)
      .sort((left, right) => left.atMs - right.atMs),
  );
  const inWindow = entries.filter((each) => each.atMs > atMs - windowMs && each.atMs <= atMs);
  const observed = measureOf(inWindow, rule.measure);
  const isQuiet = state.quietUntilMs !== undefined && atMs < state.quietUntilMs;
  if (observed <= rule.threshold || isQuiet) {
    return { state: { ...state, entries }, isCounted: true };
  }
  const evidence = inWindow.filter((each) => rule.measure === 'weight' || (each.patientIds?.length ?? 0) > 0);
  return {
    state: { entries, quietUntilMs: atMs + windowMs },
    isCounted: true,
    finding: {
      windowStart: new Date(atMs - windowMs),
      windowEnd: observation.at,
      observed,
      threshold: rule.threshold,
      evidenceRecordIds: capEvidence(evidence.map((each) => each.id)),
    },
  };
}

/** One audit record as a rule sees it: its envelope id, its time, how much it counts, whom it touched. */
export interface AccessObservation {
  readonly recordId: string;
  readonly at: Date;
  /** Occurrences the record stands for (a run's coalesced denials); 1 for most records. */
  readonly weight: number;
  readonly patientIds: readonly string[];
}

/**
 * State blobs live in one DynamoDB item each (400 KB), so the patient ids one key tracks are capped:
 * a count past this saturates at it, which is why patient thresholds stop at 1,000.
 */
export const MAX_TRACKED_PATIENTS = 2000;
/** Records one sliding window keeps (their ids make replays idempotent and serve as evidence). */
export const MAX_WINDOW_ENTRIES = 500;

/** The window an anomaly covers and what was seen in it; the detector adds who it is about. */
export interface RuleFinding {
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly observed: number;
  readonly threshold: number;
  readonly evidenceRecordIds: string[];
}

export interface RuleStep<State> {
  readonly state: State;
  /** False when the record was already counted (the stream is at-least-once) or too late to count. */
  readonly isCounted: boolean;
  readonly finding?: RuleFinding | undefined;
}

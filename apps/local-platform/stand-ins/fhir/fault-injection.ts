import { type FhirAnswer, outcomeAnswer } from './fhir-answer.ts';

/**
 * A synthetic patient name put into every injected OperationOutcome: real EHRs echo record content
 * in outcome texts, and tests assert this name never reaches a plugin, a log or an audit record.
 */
export const FAULT_CANARY_NAME = 'Canary Leakwell (synthetic)';

export interface FaultSpec {
  readonly status: number;
  readonly count: number;
  readonly retryAfterSeconds?: number;
  /** Only requests whose path under the FHIR base contains this string (e.g. `Patient/p-001`). */
  readonly path?: string;
}

/** Test hook: the next `count` matching FHIR requests answer `status` instead of being served. */
export class FaultInjection {
  #faults: { spec: FaultSpec; remaining: number }[] = [];

  inject(spec: FaultSpec): void {
    this.#faults.push({ spec, remaining: spec.count });
  }

  take(path: string): FhirAnswer | undefined {
    const fault = this.#faults.find(
      (candidate) => !candidate.spec.path || path.includes(candidate.spec.path),
    );
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#faults = this.#faults.filter((candidate) => candidate !== fault);
    const { status, retryAfterSeconds } = fault.spec;
    return outcomeAnswer(
      status,
      status === 429 ? 'throttled' : 'transient',
      `Injected fault while processing the record of ${FAULT_CANARY_NAME}`,
      retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

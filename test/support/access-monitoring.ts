import type {
  AccessObservation,
  RuleFinding,
  RuleStep,
} from '../../shared/domain/access-monitoring/observation.ts';
import type { PlatformEvent } from '../../shared/domain/platform-events.ts';

export const T0 = Date.UTC(2030, 0, 7, 12, 0, 0); // a Monday, 12:00 UTC

/** An observation `seconds` after T0 (or at `at`), touching `patients` ids p-0 … */
export function observation(
  id: string,
  options: { seconds?: number; at?: Date; weight?: number; patients?: number; patientIds?: string[] } = {},
): AccessObservation {
  const patientIds =
    options.patientIds ?? Array.from({ length: options.patients ?? 0 }, (_, index) => `p-${index}`);
  return {
    recordId: id,
    at: options.at ?? new Date(T0 + (options.seconds ?? 0) * 1000),
    weight: options.weight ?? 1,
    patientIds,
  };
}

/** An `audit:<action>` event as the audit log publishes it. */
export function auditEvent(
  id: string,
  atMs: number,
  detail: Record<string, unknown> & { action: string },
): PlatformEvent {
  return {
    id,
    name: `audit:${detail.action}`,
    time: new Date(atMs).toISOString(),
    ...(typeof detail.tenantId === 'string' ? { tenantId: detail.tenantId } : {}),
    detail: { outcome: 'success', actor: 'platform:test', ...detail },
  };
}

/** Feeds observations through one rule in order: the last state and every finding. */
export function runRule<State>(
  step: (state: State, observation: AccessObservation) => RuleStep<State>,
  observations: readonly AccessObservation[],
  start: State,
): { state: State; findings: RuleFinding[] } {
  let state = start;
  const findings: RuleFinding[] = [];
  for (const each of observations) {
    const result = step(state, each);
    state = result.state;
    if (result.finding) findings.push(result.finding);
  }
  return { state, findings };
}

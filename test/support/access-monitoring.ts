import type { AccessObservation } from '../../shared/domain/access-monitoring/observation.ts';
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

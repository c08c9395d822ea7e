import type { InvocationRecord } from '../../shared/ports/usage-repository.ts';

/** One run's usage record as the run ledger writes it; override what a test is about. */
export function anInvocationRecord(overrides: Partial<InvocationRecord> = {}): InvocationRecord {
  return {
    tenantId: 't-acme',
    pluginId: 'reminders',
    version: '1.0.0',
    at: '2030-01-01T10:00:00.000Z',
    ok: true,
    usage: { wallMs: 10, cpuMs: 2, peakHeapBytes: 1_000, dataCalls: 3, networkCalls: 1, storageBytes: 50 },
    touchedPatientIds: [],
    ...overrides,
  };
}
